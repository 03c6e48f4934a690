using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>encoder.layer.N.*</c> of DeBERTa and DeBERTa-v2: disentangled self-attention (<c>attention.self</c>) with its
/// residual output (<c>attention.output</c>), then the feed-forward block (<c>intermediate</c>, <c>output</c>).
/// Only the self-attention differs between the families; it is passed in.
/// </summary>
internal sealed class DebertaLayer : nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Hidden, Tensor Attention)>
{
    private readonly DebertaAttention attention;
    private readonly DebertaIntermediate intermediate;
    private readonly DebertaResidualOutput output;

    /// <param name="config">Sizes, activation, LayerNorm eps and dropout.</param>
    /// <param name="selfAttention">This layer's <c>attention.self</c> (the family's disentangled self-attention).</param>
    public DebertaLayer(PretrainedConfig config, nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Context, Tensor Probabilities)> selfAttention)
        : base(nameof(DebertaLayer))
    {
        attention = new DebertaAttention(config, selfAttention);
        intermediate = new DebertaIntermediate(config);
        output = new DebertaResidualOutput(config, config.IntermediateSize);
        RegisterComponents();
    }

    /// <param name="hidden">(b, l, h)</param>
    /// <param name="mask">(b, 1, l, l)</param>
    /// <param name="relativePositions">(1, l, l) or null</param>
    /// <param name="relEmbeddings">(2·span, h) or null</param>
    /// <returns>The layer output (b, l, h) and its attention probabilities (b, heads, l, l).</returns>
    public override (Tensor Hidden, Tensor Attention) forward(Tensor hidden, Tensor mask, Tensor? relativePositions, Tensor? relEmbeddings)
    {
        using var scope = NewDisposeScope();
        var (attended, probabilities) = attention.forward(hidden, mask, relativePositions, relEmbeddings); // (b, l, h)
        var expanded = intermediate.forward(attended);                                                    // (b, l, i)
        var result = output.forward(expanded, attended);                                                  // (b, l, h)
        return (result.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }
}
