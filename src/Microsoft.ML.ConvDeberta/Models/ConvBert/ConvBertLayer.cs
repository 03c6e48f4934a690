using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>Hugging Face <c>ConvBertAttention</c>: mixed attention (<c>self</c>) then <c>output</c> (dense, residual, LayerNorm).</summary>
internal sealed class ConvBertAttention : nn.Module<Tensor, Tensor, (Tensor Output, Tensor Probabilities)>
{
    public readonly ConvBertSelfAttention self;
    public readonly ConvBertOutput output;

    public ConvBertAttention(ConvBertConfig config) : base(nameof(ConvBertAttention))
    {
        self = new ConvBertSelfAttention(config);
        output = new ConvBertOutput(config, config.HiddenSize, numGroups: 1);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, H]</param>
    /// <param name="additiveMask">[B, 1, 1, L]</param>
    public override (Tensor Output, Tensor Probabilities) forward(Tensor hiddenStates, Tensor additiveMask)
    {
        var (context, probabilities) = self.forward(hiddenStates, additiveMask);   // [B, L, H], [B, heads, L, L]
        using (context) return (output.forward(context, hiddenStates), probabilities);
    }
}

/// <summary>Hugging Face <c>ConvBertLayer</c>: <c>attention</c>, then the feed-forward block <c>intermediate</c> → <c>output</c>.</summary>
internal sealed class ConvBertLayer : nn.Module<Tensor, Tensor, (Tensor Output, Tensor Probabilities)>
{
    public readonly ConvBertAttention attention;
    public readonly ConvBertIntermediate intermediate;
    public readonly ConvBertOutput output;

    public ConvBertLayer(ConvBertConfig config) : base(nameof(ConvBertLayer))
    {
        attention = new ConvBertAttention(config);
        intermediate = new ConvBertIntermediate(config);
        output = new ConvBertOutput(config, config.IntermediateSize, config.NumGroups);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, H]</param>
    /// <param name="additiveMask">[B, 1, 1, L]</param>
    /// <returns>The layer output [B, L, H] and the self-attention probabilities [B, heads, L, L].</returns>
    public override (Tensor Output, Tensor Probabilities) forward(Tensor hiddenStates, Tensor additiveMask)
    {
        var (attended, probabilities) = attention.forward(hiddenStates, additiveMask);   // [B, L, H]
        using (attended)
        using (var inner = intermediate.forward(attended))                              // [B, L, I]
            return (output.forward(inner, attended), probabilities);
    }
}
