using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary><c>attention</c>: disentangled self-attention (<c>self</c>) followed by its output block (<c>output</c>).</summary>
internal sealed class DebertaV2Attention : nn.Module
{
    private readonly DisentangledSelfAttention self;
    private readonly DebertaV2Output output;

    public DebertaV2Attention(DebertaV2Config config) : base(nameof(DebertaV2Attention))
    {
        self = new DisentangledSelfAttention(config);
        output = new DebertaV2Output(config, config.HiddenSize);
        RegisterComponents();
    }

    /// <summary>hidden [B, L, H] → ([B, L, H], attention probabilities [B, heads, L, L]).</summary>
    public (Tensor Output, Tensor Probabilities) Forward(Tensor hidden, Tensor mask, Tensor? relativePos, Tensor? relEmbeddings)
    {
        var (context, probabilities) = self.Forward(hidden, mask, relativePos, relEmbeddings);
        return (output.forward(context, hidden), probabilities);
    }
}
