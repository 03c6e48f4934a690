using System.Globalization;
using System.Text;

namespace Microsoft.ML.ConvDeberta.Tokenization.Bert;

/// <summary>A pre-token of BERT basic tokenization: its processed text and, per UTF-16 char, the span it came from.</summary>
internal sealed record BasicToken(string Text, int[] Starts, int[] Ends);

/// <summary>
/// BERT's BasicTokenizer (clean text, CJK spacing, NFC, whitespace split, lower-casing, accent stripping, punctuation
/// split) keeping track of where every output char came from in the ORIGINAL string. Written here rather than taken
/// from Microsoft.ML.Tokenizers' BertTokenizer because that one (a) treats only Unicode P* as punctuation, while the
/// reference splits on every ASCII symbol (<c>$ ^ ` | ~ + = &lt; &gt;</c>), and (b) reports offsets into its normalized
/// text, not the input.
/// </summary>
internal sealed class BertBasicTokenizer(bool lowerCase, bool? stripAccents, bool tokenizeChineseChars)
{
    private readonly bool _strip = lowerCase ? stripAccents != false : stripAccents == true;

    public List<BasicToken> Tokenize(string text, int start, int length)
    {
        var tokens = new List<BasicToken>();
        var word = new List<(int Start, int End)>(); // code points of the current whitespace-separated word
        int end = start + length;
        for (int i = start; i < end;)
        {
            int cp = PythonText.CodePointAt(text, i, out int n);
            if (i + n > end) n = end - i;
            if (cp == 0 || cp == 0xFFFD || (PythonText.IsOtherCategory(cp) && cp is not ('\t' or '\n' or '\r'))) { i += n; continue; }
            if (PythonText.IsSpace(cp)) { FlushWord(text, word, tokens); i += n; continue; }
            if (tokenizeChineseChars && IsChineseChar(cp))
            {
                FlushWord(text, word, tokens);
                word.Add((i, i + n));
                FlushWord(text, word, tokens);
                i += n;
                continue;
            }
            word.Add((i, i + n));
            i += n;
        }
        FlushWord(text, word, tokens);
        return tokens;
    }

    /// <summary>Normalizes one word cluster by cluster (base char + combining marks), then splits it on punctuation.</summary>
    private void FlushWord(string text, List<(int Start, int End)> word, List<BasicToken> output)
    {
        if (word.Count == 0) return;
        var sb = new StringBuilder();
        var starts = new List<int>();
        var ends = new List<int>();
        void Emit()
        {
            if (sb.Length > 0) output.Add(new BasicToken(sb.ToString(), starts.ToArray(), ends.ToArray()));
            sb.Clear(); starts.Clear(); ends.Clear();
        }
        for (int c = 0; c < word.Count;)
        {
            int clusterStart = word[c].Start, clusterEnd = word[c].End;
            for (c++; c < word.Count && IsExtending(PythonText.CodePointAt(text, word[c].Start, out _)); c++)
                clusterEnd = word[c].End;
            string processed = Process(text.AsSpan(clusterStart, clusterEnd - clusterStart));
            for (int j = 0; j < processed.Length;)
            {
                int cp = PythonText.CodePointAt(processed, j, out int n);
                bool punct = PythonText.IsBertPunctuation(cp);
                if (punct) Emit();
                for (int q = 0; q < n; q++) { sb.Append(processed[j + q]); starts.Add(clusterStart); ends.Add(clusterEnd); }
                if (punct) Emit();
                j += n;
            }
        }
        Emit();
        word.Clear();
    }

    private string Process(ReadOnlySpan<char> cluster)
    {
        if (cluster.Length == 1 && cluster[0] < 0x80)
            return lowerCase ? char.ToLowerInvariant(cluster[0]).ToString() : cluster[0].ToString();
        string s = cluster.ToString();
        if (!char.IsSurrogate(s[0]) || s.Length > 1) s = s.Normalize(NormalizationForm.FormC);
        if (lowerCase)
        {
            var sb = new StringBuilder(s.Length + 1);
            for (int j = 0; j < s.Length;) { PythonText.AppendLower(sb, PythonText.CodePointAt(s, j, out int n)); j += n; }
            s = sb.ToString();
        }
        if (_strip)
        {
            var sb = new StringBuilder(s.Length);
            foreach (char ch in s.Normalize(NormalizationForm.FormD))
                if (CharUnicodeInfo.GetUnicodeCategory(ch) != UnicodeCategory.NonSpacingMark) sb.Append(ch);
            s = sb.ToString();
        }
        return s;
    }

    /// <summary>Marks and conjoining Hangul vowels/finals compose with what precedes them under NFC.</summary>
    private static bool IsExtending(int cp) => cp is >= 0x1160 and <= 0x11FF
        || PythonText.Category(cp) is UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;

    /// <summary>The CJK Unified Ideograph blocks BERT puts spaces around (not Hangul, Hiragana or Katakana).</summary>
    internal static bool IsChineseChar(int cp) => cp is >= 0x4E00 and <= 0x9FFF or >= 0x3400 and <= 0x4DBF
        or >= 0x20000 and <= 0x2A6DF or >= 0x2A700 and <= 0x2B73F or >= 0x2B740 and <= 0x2B81F
        or >= 0x2B820 and <= 0x2CEAF or >= 0xF900 and <= 0xFAFF or >= 0x2F800 and <= 0x2FA1F;
}
