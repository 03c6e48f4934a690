using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>encoder.*</c> as <see cref="DebertaModel"/> sees it: (embedding output (b, l, h), attention mask (b, l)) → the
/// stack's result. Each family builds its own (<see cref="DebertaEncoder"/>, <see cref="DebertaV2.DebertaV2Encoder"/>):
/// they differ in the relative-position table and what is shared across layers.
/// </summary>
internal abstract class DebertaEncoderStack : nn.Module<Tensor, Tensor, DebertaEncoderStack.Result>
{
    protected DebertaEncoderStack(string name) : base(name) { }

    /// <summary>Which optional outputs to collect.</summary>
    public OutputOptions Outputs { get; set; } = OutputOptions.None;

    /// <summary>
    /// The pair mask every layer uses: query i may attend to key j when both are tokens.
    /// (b, l) 1 = token, 0 = padding → (b, 1, l, l) bool.
    /// </summary>
    protected static Tensor PairMask(Tensor attentionMask)
    {
        var tokens = attentionMask.to(ScalarType.Bool);                                   // (b, l)
        return tokens.unsqueeze(1).unsqueeze(2).logical_and(tokens.unsqueeze(1).unsqueeze(3));
    }

    /// <summary>
    /// What the stack produced: the last hidden state (b, l, h); the embedding output then every layer's output when
    /// hidden states are requested; every layer's attention probabilities (b, heads, l, l) when requested; the relative
    /// positions (1, l, l) and the table fed to attention, or null without relative attention.
    /// </summary>
    internal sealed record Result(Tensor LastHiddenState, List<Tensor> HiddenStates, List<Tensor> Attentions, Tensor? RelativePositions, Tensor? RelEmbeddings);
}
