using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>Hugging Face's <c>ACT2FN</c>: activation names used in config.json (hidden_act, pooler_hidden_act, conv_act).</summary>
internal static class Activations
{
    /// <summary>Returns the activation function for <paramref name="name"/>; throws naming the config key for unknown names.</summary>
    public static Func<Tensor, Tensor> Get(string name, string configKey = "hidden_act") => name switch
    {
        "gelu" or "gelu_python" => x => nn.functional.gelu(x),
        "gelu_new" or "gelu_pytorch_tanh" or "gelu_fast" => TanhGelu,
        "relu" => x => nn.functional.relu(x),
        "tanh" => x => x.tanh(),
        "sigmoid" => x => x.sigmoid(),
        "silu" or "swish" => x => nn.functional.silu(x),
        "mish" => x => nn.functional.mish(x),
        "quick_gelu" => x => x * (1.702 * x).sigmoid(),
        "linear" => x => x.alias(),
        _ => throw new InvalidDataException(
            $"config.json: '{configKey}' = '{name}' is not a supported activation (gelu, gelu_new, gelu_pytorch_tanh, gelu_fast, relu, tanh, sigmoid, silu, swish, mish, quick_gelu, linear)."),
    };

    // 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³))), Hugging Face's NewGELU.
    private static Tensor TanhGelu(Tensor x) =>
        0.5 * x * (1.0 + ((x + 0.044715 * x.pow(3)) * Math.Sqrt(2.0 / Math.PI)).tanh());
}
