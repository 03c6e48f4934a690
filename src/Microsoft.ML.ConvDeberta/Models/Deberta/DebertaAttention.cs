using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary><c>attention.*</c>: <c>self</c> (<see cref="DisentangledSelfAttention"/>) followed by <c>output</c> (dense + residual LayerNorm).</summary>
internal sealed class DebertaAttention : nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Hidden, Tensor Attention)>
{
    private readonly DisentangledSelfAttention self;
    private readonly DebertaResidualOutput output;

    public DebertaAttention(DebertaConfig config) : base(nameof(DebertaAttention))
    {
        self = new DisentangledSelfAttention(config);
        output = new DebertaResidualOutput(config.HiddenSize, config);
        RegisterComponents();
    }

    public override (Tensor Hidden, Tensor Attention) forward(Tensor hidden, Tensor mask, Tensor? relativePositions, Tensor? relEmbeddings)
    {
        using var scope = NewDisposeScope();
        var (context, probabilities) = self.forward(hidden, mask, relativePositions, relEmbeddings);   // (b, l, h)
        var result = output.forward(context, hidden);                                                 // (b, l, h)
        return (result.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }
}
