namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>
/// Truncation (Hugging Face's <c>truncate_sequences</c>, quirks included), overflowing windows and the
/// <c>[CLS] A [SEP] (B [SEP])</c> template shared by ConvBERT, DeBERTa and DeBERTa-v2/v3.
/// </summary>
internal static class EncodingBuilder
{
    public static TokenizedText Encode(List<TextPiece> a, List<TextPiece>? b, EncodeOptions options, int cls, int sep)
    {
        int specials = options.AddSpecialTokens ? (b == null ? 2 : 3) : 0;
        if (options.MaxLength is not int max || options.Truncation == TruncationStrategy.DoNotTruncate)
            return Build(a, b, options.AddSpecialTokens, cls, sep);
        if (max < 0) throw new ArgumentOutOfRangeException(nameof(options), $"MaxLength must be positive, got {max}.");
        if (options.ReturnOverflowingTokens) return EncodeWindows(a, b, options, max, specials, cls, sep);

        int toRemove = a.Count + (b?.Count ?? 0) + specials - max;
        var (lenA, lenB) = Truncate(a.Count, b?.Count, toRemove, options.Truncation);
        return Build(a.GetRange(0, lenA), b?.GetRange(0, lenB), options.AddSpecialTokens, cls, sep);
    }

    /// <summary>
    /// New lengths after removing <paramref name="toRemove"/> tokens, exactly as the slow tokenizers do: when the chosen
    /// text is too short to absorb the removal, Hugging Face only logs an error and leaves BOTH texts untruncated
    /// (only_first/only_second quirk); longest_first removes one token at a time from the strictly longer first text,
    /// else from the second.
    /// </summary>
    public static (int LengthA, int LengthB) Truncate(int lenA, int? lenB, int toRemove, TruncationStrategy strategy)
    {
        int b = lenB ?? 0;
        if (toRemove <= 0 || strategy == TruncationStrategy.DoNotTruncate) return (lenA, b);
        if (strategy == TruncationStrategy.OnlyFirst || (strategy == TruncationStrategy.LongestFirst && lenB == null))
            return lenA > toRemove ? (lenA - toRemove, b) : (lenA, b);
        if (strategy == TruncationStrategy.LongestFirst)
        {
            for (int i = 0; i < toRemove; i++)
            {
                if (lenA > b) lenA--;
                else if (b > 0) b--;
            }
            return (lenA, b);
        }
        if (lenB == null) return (lenA, b); // only_second without a pair: HF truncates nothing.
        return b > toRemove ? (lenA, b - toRemove) : (lenA, b);
    }

    private static TokenizedText EncodeWindows(List<TextPiece> a, List<TextPiece>? b, EncodeOptions options, int max, int specials, int cls, int sep)
    {
        bool windowFirst = options.Truncation == TruncationStrategy.OnlyFirst || b == null;
        if (!windowFirst && options.Truncation == TruncationStrategy.LongestFirst)
            throw new ArgumentException("Overflowing windows for a text pair need Truncation = OnlyFirst or OnlySecond " +
                "(Hugging Face refuses longest_first with return_overflowing_tokens for pairs).", nameof(options));
        if (options.Truncation == TruncationStrategy.OnlySecond && b == null)
            return Build(a, b, options.AddSpecialTokens, cls, sep);

        var windowed = windowFirst ? a : b!;
        int budget = max - specials - (windowFirst ? b?.Count ?? 0 : a.Count);
        if (windowed.Count <= budget || budget <= 0) // fits, or cannot be truncated (HF: error logged, untruncated)
            return Build(a, b, options.AddSpecialTokens, cls, sep);
        if (options.Stride < 0 || options.Stride >= budget)
            throw new ArgumentException($"Stride {options.Stride} must be in [0, {budget}) (the room left for the truncated text with MaxLength {max}).", nameof(options));

        var windows = new List<TokenizedText>();
        for (int start = 0; ; start += budget - options.Stride)
        {
            int count = Math.Min(budget, windowed.Count - start);
            var part = windowed.GetRange(start, count);
            windows.Add(windowFirst ? Build(part, b, options.AddSpecialTokens, cls, sep) : Build(a, part, options.AddSpecialTokens, cls, sep));
            if (start + count >= windowed.Count) break;
        }
        var first = windows[0];
        return new TokenizedText
        {
            InputIds = first.InputIds, TokenTypeIds = first.TokenTypeIds, AttentionMask = first.AttentionMask,
            SpecialTokensMask = first.SpecialTokensMask, Offsets = first.Offsets, WordIds = first.WordIds,
            SequenceIds = first.SequenceIds, Overflowing = windows.GetRange(1, windows.Count - 1),
        };
    }

    /// <summary>Applies the template: <c>[CLS] A [SEP]</c> (type 0) then <c>B [SEP]</c> (type 1).</summary>
    public static TokenizedText Build(List<TextPiece> a, List<TextPiece>? b, bool addSpecials, int cls, int sep)
    {
        int n = a.Count + (b?.Count ?? 0) + (addSpecials ? (b == null ? 2 : 3) : 0);
        var ids = new int[n];
        var types = new int[n];
        var special = new int[n];
        var offsets = new (int, int)[n];
        var words = new int?[n];
        var seqs = new int?[n];
        int k = 0;
        void Special(int id, int type) { ids[k] = id; types[k] = type; special[k] = 1; k++; }
        // Without special tokens Hugging Face gives every token type 0, the second text included.
        void Text(List<TextPiece> pieces, int seq)
        {
            foreach (var p in pieces)
            {
                ids[k] = p.Id; types[k] = addSpecials ? seq : 0; offsets[k] = (p.Start, p.Length); words[k] = p.Word; seqs[k] = seq; k++;
            }
        }
        if (addSpecials) Special(cls, 0);
        Text(a, 0);
        if (addSpecials) Special(sep, 0);
        if (b != null)
        {
            Text(b, 1);
            if (addSpecials) Special(sep, 1);
        }
        var mask = new int[n];
        Array.Fill(mask, 1);
        return new TokenizedText
        {
            InputIds = ids, TokenTypeIds = types, AttentionMask = mask, SpecialTokensMask = special,
            Offsets = offsets, WordIds = words, SequenceIds = seqs,
        };
    }
}
