using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>ConvBertPreTrainedModel._init_weights</c> for any ConvBERT model: the shared rules (Linear and
/// Embedding ~ N(0, initializer_range), biases 0, LayerNorm 1/0), the padding row of the word embeddings only, and
/// ConvBERT's own modules (<see cref="SeparableConv1D"/>, <see cref="GroupedLinearLayer"/>).
/// </summary>
internal static class ConvBertWeightInit
{
    /// <param name="root">The task model (keys relative to it).</param>
    /// <param name="encoder">Its ConvBERT encoder (for the config).</param>
    /// <param name="onlyKeys">Restricts initialisation to these state-dict keys; null = everything.</param>
    public static void Apply(nn.Module root, TransformerEncoder encoder, IEnumerable<string>? onlyKeys = null)
    {
        var only = onlyKeys?.ToHashSet(StringComparer.Ordinal);
        var config = encoder.Config;
        WeightInit.Apply(root, config.InitializerRange, config.PadTokenId, only);
        using var noGrad = torch.no_grad();
        foreach (var (name, module) in root.named_modules())
        {
            Func<string, bool> wanted = leaf => only == null || only.Contains(name.Length == 0 ? leaf : name + "." + leaf);
            switch (module)
            {
                case SeparableConv1D separable: separable.Initialize(config.InitializerRange, wanted); break;
                case GroupedLinearLayer grouped: grouped.Initialize(config.InitializerRange, wanted); break;
            }
        }
    }
}
