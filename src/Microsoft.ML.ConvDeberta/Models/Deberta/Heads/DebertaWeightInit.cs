using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>
/// Hugging Face's DeBERTa <c>_init_weights</c>: the shared rules of <see cref="WeightInit"/> for Linear, Embedding and
/// LayerNorm, plus zeros for the free-standing biases DeBERTa adds (<c>q_bias</c>, <c>v_bias</c>, the masked-LM
/// <c>bias</c>). Tied aliases are skipped so the tied decoder never overwrites the word embeddings (whose padding row stays 0).
/// </summary>
internal static class DebertaWeightInit
{
    public static void Apply(TaskModel model, IEnumerable<string>? onlyKeys = null)
    {
        var config = model.Encoder.Config;
        var tied = model.TiedWeights;
        var keys = (onlyKeys ?? model.state_dict().Keys).Where(k => !tied.ContainsKey(k)).ToHashSet(StringComparer.Ordinal);
        WeightInit.Apply(model, config.InitializerRange, config.PadTokenId, keys);
        using var noGrad = torch.no_grad();
        foreach (var (name, module) in model.named_modules())
        {
            if (module is Linear or Embedding or LayerNorm) continue;
            foreach (var (leaf, parameter) in module.named_parameters(recurse: false))
                if (keys.Contains(name.Length == 0 ? leaf : name + "." + leaf)) parameter.zero_();
        }
    }
}
