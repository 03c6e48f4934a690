using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>
/// Hugging Face's <c>_init_weights</c> for encoder models: Linear and Embedding weights ~ N(0, initializer_range),
/// biases 0, the padding row 0, LayerNorm weight 1 / bias 0. Used for fresh models and for head weights a
/// checkpoint lacks (onlyKeys restricts it to those state-dict keys).
/// </summary>
internal static class WeightInit
{
    public static void Apply(nn.Module root, double std, int? paddingIdx = null, IEnumerable<string>? onlyKeys = null)
    {
        var only = onlyKeys?.ToHashSet(StringComparer.Ordinal);
        bool Wanted(string prefix, string leaf) => only == null || only.Contains(prefix.Length == 0 ? leaf : prefix + "." + leaf);
        using var noGrad = torch.no_grad();
        foreach (var (name, module) in root.named_modules())
        {
            switch (module)
            {
                case Linear linear:
                    if (Wanted(name, "weight")) nn.init.normal_(linear.weight!, 0, std);
                    if (linear.bias is not null && Wanted(name, "bias")) nn.init.zeros_(linear.bias);
                    break;
                case Embedding embedding:
                    if (Wanted(name, "weight"))
                    {
                        nn.init.normal_(embedding.weight!, 0, std);
                        // Hugging Face zeroes the padding row of the embedding that has padding_idx: the word embeddings.
                        if (paddingIdx is int p && p >= 0 && p < embedding.weight!.shape[0] && name.EndsWith("word_embeddings", StringComparison.Ordinal))
                            embedding.weight![p].zero_();
                    }
                    break;
                case LayerNorm norm:
                    if (norm.weight is not null && Wanted(name, "weight")) nn.init.ones_(norm.weight);
                    if (norm.bias is not null && Wanted(name, "bias")) nn.init.zeros_(norm.bias);
                    break;
            }
        }
    }
}
