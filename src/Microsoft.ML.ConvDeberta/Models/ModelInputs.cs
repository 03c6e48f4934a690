using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>
/// The named forward arguments of every Hugging Face encoder task model (same names as the Python
/// <c>forward</c>). Unused entries stay null. Shapes: [B, L] for ids and masks, or [B, C, L] for multiple choice.
/// </summary>
internal sealed record ModelInputs
{
    /// <summary>Token ids, int64 [B, L] (multiple choice: [B, C, L]).</summary>
    public required Tensor InputIds { get; init; }
    /// <summary>1 = real token, 0 = padding; null means all ones.</summary>
    public Tensor? AttentionMask { get; init; }
    /// <summary>Segment ids; only passed to models whose type_vocab_size &gt; 0.</summary>
    public Tensor? TokenTypeIds { get; init; }
    /// <summary>Explicit position ids; null means 0..L-1.</summary>
    public Tensor? PositionIds { get; init; }
    /// <summary>Class ids [B] (int64), regression targets [B] or [B, 1] (float), token labels [B, L], soft labels [B, C].</summary>
    public Tensor? Labels { get; init; }
    /// <summary>QA answer start token index [B].</summary>
    public Tensor? StartPositions { get; init; }
    /// <summary>QA answer end token index [B].</summary>
    public Tensor? EndPositions { get; init; }

    /// <summary>
    /// Multiple choice: the [B, C, L] inputs as B·C rows of [B·C, L] for the encoder (labels left out: they are per
    /// example, not per row), and C.
    /// </summary>
    /// <param name="modelName">Named in the error when the inputs are not [B, C, L].</param>
    public (ModelInputs Rows, long Choices) FlattenChoices(string modelName)
    {
        if (InputIds.dim() != 3)
            throw new ArgumentException($"{modelName} expects input_ids of shape [batch, choices, length]; got [{string.Join(", ", InputIds.shape)}].", "inputs");
        static Tensor? Flat(Tensor? t) => t?.view(-1, t.size(-1));    // [B·C, L]
        var rows = new ModelInputs
        {
            InputIds = Flat(InputIds)!,
            AttentionMask = Flat(AttentionMask),
            TokenTypeIds = Flat(TokenTypeIds),
            PositionIds = Flat(PositionIds),
        };
        return (rows, InputIds.size(1));
    }
}

/// <summary>What an encoder (the base model) returns.</summary>
internal sealed class EncoderOutput
{
    /// <summary>[B, L, H]</summary>
    public required Tensor LastHiddenState { get; init; }
    /// <summary>Embedding output followed by each layer's output (only when requested).</summary>
    public IReadOnlyList<Tensor> HiddenStates { get; init; } = [];
    /// <summary>Each layer's attention probabilities [B, heads, L, L] (only when requested).</summary>
    public IReadOnlyList<Tensor> Attentions { get; init; } = [];
    /// <summary>
    /// Family-specific intermediate tensors for parity checks (only when <see cref="OutputOptions.Debug"/>), named as
    /// in the reference's <c>debug.*</c> tensors, e.g. "relative_pos", "rel_embeddings" for DeBERTa.
    /// </summary>
    public IReadOnlyDictionary<string, Tensor> Debug { get; init; } = new Dictionary<string, Tensor>();
}

/// <summary>What a task model returns. Tensor names follow Hugging Face's output classes.</summary>
internal sealed class ModelOutput
{
    /// <summary>0-d loss when labels were given.</summary>
    public Tensor? Loss { get; init; }
    /// <summary>Task logits: [B, C] (classification), [B, L, C] (tokens, MLM: C = vocab), [B, C] (multiple choice).</summary>
    public Tensor? Logits { get; init; }
    /// <summary>QA start logits [B, L].</summary>
    public Tensor? StartLogits { get; init; }
    /// <summary>QA end logits [B, L].</summary>
    public Tensor? EndLogits { get; init; }
    /// <summary>The encoder's own output (last hidden state, optional hidden states and attentions).</summary>
    public required EncoderOutput Encoder { get; init; }
}

/// <summary>Which outputs to collect in addition to the last hidden state.</summary>
internal sealed record OutputOptions(bool HiddenStates = false, bool Attentions = false, bool Debug = false)
{
    public static readonly OutputOptions None = new();
    public static readonly OutputOptions All = new(true, true, true);
}
