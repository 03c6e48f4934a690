namespace Microsoft.ML.ConvDeberta.Tokenization.Bert;

/// <summary>
/// A vocab.txt (one token per line, id = line number) and greedy longest-match-first WordPiece over it, as Hugging
/// Face's <c>WordpieceTokenizer</c>: continuation pieces carry <c>##</c>; a word with no full segmentation, or longer
/// than <see cref="MaxInputCharsPerWord"/> code points, becomes a single unknown token.
/// </summary>
internal sealed class WordPieceVocabulary
{
    public const int MaxInputCharsPerWord = 100;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _continuations = new(StringComparer.Ordinal); // key without "##"
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _idsBySpan;
    private readonly Dictionary<string, int>.AlternateLookup<ReadOnlySpan<char>> _continuationsBySpan;
    private readonly string[] _tokens;

    public WordPieceVocabulary(string path)
    {
        var lines = File.ReadAllText(path).Split('\n');
        int count = lines.Length > 0 && lines[^1].Length == 0 ? lines.Length - 1 : lines.Length;
        if (count == 0) throw new InvalidDataException($"WordPiece vocabulary '{path}' is empty (expected one token per line).");
        _tokens = new string[count];
        for (int i = 0; i < count; i++)
        {
            string token = lines[i];
            _tokens[i] = token;
            _ids[token] = i;
            if (token.StartsWith("##", StringComparison.Ordinal)) _continuations[token[2..]] = i;
        }
        _idsBySpan = _ids.GetAlternateLookup<ReadOnlySpan<char>>();
        _continuationsBySpan = _continuations.GetAlternateLookup<ReadOnlySpan<char>>();
    }

    public int Count => _tokens.Length;

    public int? Lookup(string token) => _ids.TryGetValue(token, out int id) ? id : null;

    public string Token(int id) => _tokens[id];

    /// <summary>Appends the pieces of one pre-token: (id, first char, end char) in <paramref name="word"/>'s indices.</summary>
    public void Split(string word, int unkId, List<(int Id, int Start, int End)> output)
    {
        int codePoints = 0;
        for (int i = 0; i < word.Length; i++) if (!char.IsLowSurrogate(word[i])) codePoints++;
        if (codePoints > MaxInputCharsPerWord) { output.Add((unkId, 0, word.Length)); return; }
        int mark = output.Count;
        for (int start = 0; start < word.Length;)
        {
            int found = -1, end = word.Length;
            for (; end > start; end--)
            {
                if (end < word.Length && char.IsLowSurrogate(word[end])) continue; // never cut a surrogate pair
                var span = word.AsSpan(start, end - start);
                if (start == 0 ? _idsBySpan.TryGetValue(span, out found) : _continuationsBySpan.TryGetValue(span, out found)) break;
            }
            if (end == start)
            {
                output.RemoveRange(mark, output.Count - mark);
                output.Add((unkId, 0, word.Length));
                return;
            }
            output.Add((found, start, end));
            start = end;
        }
    }
}
