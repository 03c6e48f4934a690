namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>
/// A token matched verbatim in the input before the model tokenizer runs (Hugging Face <c>AddedToken</c>).
/// <see cref="LeftStrip"/> eats the whitespace before it (DeBERTa's <c>[MASK]</c>), <see cref="RightStrip"/> the whitespace after.
/// </summary>
internal sealed record AddedToken(string Content, int Id, bool LeftStrip = false, bool RightStrip = false, bool Special = true);

/// <summary>One piece of an input text: either a matched added token or a run of ordinary text, as a span of the input.</summary>
internal readonly record struct TextSegment(int Start, int Length, AddedToken? Token);

/// <summary>
/// Splits text on added tokens like the slow tokenizer's trie: leftmost match, longest content first, then applies
/// lstrip/rstrip to the neighbouring text (Python <c>str.rstrip()</c>/<c>lstrip()</c> whitespace).
/// </summary>
internal sealed class AddedTokenSplitter
{
    private readonly AddedToken[] _tokens; // longest first

    public AddedTokenSplitter(IEnumerable<AddedToken> tokens) =>
        _tokens = tokens.Where(t => t.Content.Length > 0).OrderByDescending(t => t.Content.Length).ToArray();

    public List<TextSegment> Split(string text)
    {
        var raw = new List<TextSegment>();
        int textStart = 0;
        for (int i = 0; i < text.Length; i++)
        {
            var match = MatchAt(text, i);
            if (match == null) continue;
            if (i > textStart) raw.Add(new TextSegment(textStart, i - textStart, null));
            raw.Add(new TextSegment(i, match.Content.Length, match));
            i += match.Content.Length - 1;
            textStart = i + 1;
        }
        if (textStart < text.Length) raw.Add(new TextSegment(textStart, text.Length - textStart, null));
        if (raw.Count == 0 || _tokens.Length == 0) return raw;

        for (int k = 0; k < raw.Count; k++)
        {
            if (raw[k].Token is not { } token) continue;
            if (token.RightStrip && k + 1 < raw.Count && raw[k + 1].Token == null) raw[k + 1] = TrimStart(text, raw[k + 1]);
            if (token.LeftStrip && k > 0 && raw[k - 1].Token == null) raw[k - 1] = TrimEnd(text, raw[k - 1]);
        }
        raw.RemoveAll(s => s.Token == null && s.Length == 0);
        return raw;
    }

    private AddedToken? MatchAt(string text, int i)
    {
        foreach (var t in _tokens)
            if (string.CompareOrdinal(text, i, t.Content, 0, t.Content.Length) == 0 && i + t.Content.Length <= text.Length)
                return t;
        return null;
    }

    private static TextSegment TrimStart(string text, TextSegment s)
    {
        int start = s.Start, end = s.Start + s.Length;
        while (start < end && PythonText.IsSpace(text[start])) start++;
        return new TextSegment(start, end - start, null);
    }

    private static TextSegment TrimEnd(string text, TextSegment s)
    {
        int end = s.Start + s.Length;
        while (end > s.Start && PythonText.IsSpace(text[end - 1])) end--;
        return new TextSegment(s.Start, end - s.Start, null);
    }
}
