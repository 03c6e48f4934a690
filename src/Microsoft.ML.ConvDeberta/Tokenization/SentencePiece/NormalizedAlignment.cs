using System.Collections.Concurrent;
using System.Globalization;
using System.Text;

namespace Microsoft.ML.ConvDeberta.Tokenization.SentencePiece;

/// <summary>
/// Maps each char of SentencePiece's normalized text (NFKC-like charsmap, whitespace collapsed to '▁', dummy prefix)
/// back to the span of the input it came from. Microsoft.ML.Tokenizers only reports offsets into the normalized text.
/// Each cluster (a code point plus its combining marks) is normalized on its own, between two 'a's so that the dummy
/// prefix and whitespace trimming do not hide what it becomes; the pieces are then laid out with spm's whitespace rules.
/// </summary>
internal sealed class NormalizedAlignment(Func<string, string> normalize)
{
    private const char Space = '\u2581';
    private readonly ConcurrentDictionary<string, string> _cache = new(StringComparer.Ordinal);

    /// <summary>
    /// Spans (start, end) in <paramref name="text"/> for every char of <paramref name="normalized"/>, or null when the
    /// cluster-wise layout does not reproduce it (context-dependent normalization): callers then interpolate.
    /// </summary>
    public (int Start, int End)[]? Align(string text, int start, int length, string normalized)
    {
        var chars = new StringBuilder(normalized.Length);
        var spans = new List<(int, int)>(normalized.Length);
        (int, int)? pendingSpace = null;
        for (int i = start; i < start + length;)
        {
            int clusterStart = i;
            PythonText.CodePointAt(text, i, out int n);
            i += n;
            while (i < start + length && IsMark(PythonText.CodePointAt(text, i, out n))) i += n;
            string piece = NormalizeCluster(text.Substring(clusterStart, i - clusterStart));
            foreach (char c in piece)
            {
                if (c == Space) { pendingSpace ??= (clusterStart, i); continue; }
                if (chars.Length == 0) { chars.Append(Space); spans.Add((clusterStart, clusterStart)); }
                else if (pendingSpace is { } sp) { chars.Append(Space); spans.Add(sp); }
                pendingSpace = null;
                chars.Append(c);
                spans.Add((clusterStart, i));
            }
        }
        return chars.ToString() == normalized ? [.. spans] : null;
    }

    private string NormalizeCluster(string cluster)
    {
        if (cluster.Length == 1 && cluster[0] is > ' ' and < '\u007f') return cluster;
        return _cache.GetOrAdd(cluster, c =>
        {
            string n = normalize("a" + c + "a"); // "▁a" + X + "a"
            return n.Length >= 3 && n.StartsWith(Space + "a", StringComparison.Ordinal) && n.EndsWith('a') ? n[2..^1] : c;
        });
    }

    private static bool IsMark(int cp) => PythonText.Category(cp) is UnicodeCategory.NonSpacingMark
        or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark;
}
