using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>attention.*</c> of DeBERTa and DeBERTa-v2: <c>self</c>, the family's own disentangled self-attention
/// (<see cref="DisentangledSelfAttention"/> or <see cref="DebertaV2.DisentangledSelfAttention"/>), followed by
/// <c>output</c> (dense + residual LayerNorm).
/// </summary>
internal sealed class DebertaAttention : nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Hidden, Tensor Attention)>
{
    private readonly nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Context, Tensor Probabilities)> self;
    private readonly DebertaResidualOutput output;

    /// <param name="config">Sizes of the output block.</param>
    /// <param name="selfAttention">The family's self-attention: (hidden, mask, relative positions, relative table) → (context, probabilities).</param>
    public DebertaAttention(PretrainedConfig config, nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Context, Tensor Probabilities)> selfAttention)
        : base(nameof(DebertaAttention))
    {
        self = selfAttention;
        output = new DebertaResidualOutput(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="hidden">(b, l, h)</param>
    /// <param name="mask">(b, 1, l, l) bool: query and key are both tokens</param>
    /// <param name="relativePositions">(1, l, l) int64 or null</param>
    /// <param name="relEmbeddings">the relative-position table (2·span, h) or null</param>
    /// <returns>(b, l, h) and the attention probabilities (b, heads, l, l).</returns>
    public override (Tensor Hidden, Tensor Attention) forward(Tensor hidden, Tensor mask, Tensor? relativePositions, Tensor? relEmbeddings)
    {
        using var scope = NewDisposeScope();
        var (context, probabilities) = self.forward(hidden, mask, relativePositions, relEmbeddings);   // (b, l, h)
        var result = output.forward(context, hidden);                                                 // (b, l, h)
        return (result.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }
}
