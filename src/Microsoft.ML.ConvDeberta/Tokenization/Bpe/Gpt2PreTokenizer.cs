namespace Microsoft.ML.ConvDeberta.Tokenization.Bpe;

/// <summary>
/// GPT-2's pre-tokenization pattern <c>'s|'t|'re|'ve|'m|'ll|'d| ?\p{L}+| ?\p{N}+| ?[^\s\p{L}\p{N}]+|\s+(?!\S)|\s+</c>
/// evaluated on code points (a .NET Regex sees supplementary letters as two surrogates, Python's <c>regex</c> as one letter).
/// </summary>
internal static class Gpt2PreTokenizer
{
    private static readonly string[] Contractions = ["s", "t", "re", "ve", "m", "ll", "d"];

    private enum Kind { Letter, Number, Space, Other }

    private static Kind KindOf(int cp) => PythonText.IsWhiteSpaceProperty(cp) ? Kind.Space
        : PythonText.IsLetter(cp) ? Kind.Letter : PythonText.IsNumber(cp) ? Kind.Number : Kind.Other;

    /// <summary>Appends the (start, length) of every pre-token of <paramref name="s"/>.</summary>
    public static void Split(string s, List<(int Start, int Length)> output)
    {
        for (int i = 0; i < s.Length;)
        {
            int end = Match(s, i);
            output.Add((i, end - i));
            i = end;
        }
    }

    private static int Match(string s, int i)
    {
        if (s[i] == '\'')
            foreach (var c in Contractions)
                if (string.CompareOrdinal(s, i + 1, c, 0, c.Length) == 0 && i + 1 + c.Length <= s.Length) return i + 1 + c.Length;

        int cp = PythonText.CodePointAt(s, i, out int n);
        var kind = KindOf(cp);
        // " ?X+" : an optional single ' ' followed by a run of one class.
        int j = i;
        if (cp == ' ' && i + 1 < s.Length)
        {
            var next = KindOf(PythonText.CodePointAt(s, i + 1, out _));
            if (next != Kind.Space) { kind = next; j = i + 1; }
        }
        if (kind != Kind.Space) return RunEnd(s, j, kind);

        // "\s+(?!\S)" then "\s+": a whitespace run, leaving its last char to the next token when a non-space follows.
        int runEnd = RunEnd(s, i, Kind.Space);
        if (runEnd == s.Length) return runEnd;
        int lastStart = runEnd - 1;
        if (char.IsLowSurrogate(s[lastStart]) && lastStart > i) lastStart--;
        return lastStart > i ? lastStart : runEnd;
    }

    private static int RunEnd(string s, int i, Kind kind)
    {
        while (i < s.Length)
        {
            int cp = PythonText.CodePointAt(s, i, out int n);
            if (KindOf(cp) != kind) break;
            i += n;
        }
        return i;
    }
}
