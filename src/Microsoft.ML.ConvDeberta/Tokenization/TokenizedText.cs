namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>
/// One encoded text or text pair, with special tokens, in the family's template (e.g. <c>[CLS] A [SEP] B [SEP]</c>).
/// All arrays have one entry per token.
/// </summary>
public sealed class TokenizedText
{
    /// <summary>Token ids.</summary>
    public required int[] InputIds { get; init; }
    /// <summary>Segment ids: 0 for the first text (with its specials), 1 for the second.</summary>
    public required int[] TokenTypeIds { get; init; }
    /// <summary>1 for every token (padding is added only by <see cref="TransformerTokenizer.Pad"/>).</summary>
    public required int[] AttentionMask { get; init; }
    /// <summary>1 where the token is a special token added by the template.</summary>
    public required int[] SpecialTokensMask { get; init; }
    /// <summary>
    /// Character span of each token in the ORIGINAL string it came from (Start, Length); (0, 0) for special tokens.
    /// Use <see cref="SequenceIds"/> to know which string (first or second text).
    /// </summary>
    public required (int Start, int Length)[] Offsets { get; init; }
    /// <summary>Index of the word (pre-tokenized unit) each token belongs to within its text; null for special tokens.</summary>
    public required int?[] WordIds { get; init; }
    /// <summary>0 = first text, 1 = second text, null = special token.</summary>
    public required int?[] SequenceIds { get; init; }
    /// <summary>Tokens removed by truncation, as further windows (only when overflow was requested).</summary>
    public IReadOnlyList<TokenizedText> Overflowing { get; init; } = [];
    /// <summary>Number of tokens.</summary>
    public int Length => InputIds.Length;
}

/// <summary>How a text pair is shortened to <see cref="EncodeOptions.MaxLength"/>.</summary>
public enum TruncationStrategy
{
    /// <summary>Never truncate; sequences longer than MaxLength are returned whole.</summary>
    DoNotTruncate,
    /// <summary>Remove tokens one at a time from the longer text (Hugging Face's default "longest_first").</summary>
    LongestFirst,
    /// <summary>Only truncate the first text.</summary>
    OnlyFirst,
    /// <summary>Only truncate the second text.</summary>
    OnlySecond,
}

/// <summary>Options for <see cref="TransformerTokenizer.Encode"/>.</summary>
public sealed record EncodeOptions
{
    /// <summary>Maximum length including special tokens; null = no limit.</summary>
    public int? MaxLength { get; init; }
    /// <summary>Truncation strategy when MaxLength is exceeded (default LongestFirst when MaxLength is set).</summary>
    public TruncationStrategy Truncation { get; init; } = TruncationStrategy.LongestFirst;
    /// <summary>Overlap in tokens between overflowing windows (QA over long contexts).</summary>
    public int Stride { get; init; }
    /// <summary>Whether to return the truncated remainder as <see cref="TokenizedText.Overflowing"/> windows.</summary>
    public bool ReturnOverflowingTokens { get; init; }
    /// <summary>Whether to add the family's special tokens (default true).</summary>
    public bool AddSpecialTokens { get; init; } = true;
}

/// <summary>A padded batch, row-major [Count, SequenceLength], ready to become int64 tensors.</summary>
public sealed class PaddedBatch
{
    /// <summary>Rows in the batch.</summary>
    public required int Count { get; init; }
    /// <summary>Length of every row after padding.</summary>
    public required int SequenceLength { get; init; }
    /// <summary>Token ids, padded with the pad token id.</summary>
    public required long[] InputIds { get; init; }
    /// <summary>Segment ids, padded with 0.</summary>
    public required long[] TokenTypeIds { get; init; }
    /// <summary>1 for real tokens, 0 for padding.</summary>
    public required long[] AttentionMask { get; init; }
}
