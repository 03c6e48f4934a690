using System.Collections.Concurrent;
using System.Text.Json;

namespace Microsoft.ML.ConvDeberta.Tokenization.Bpe;

/// <summary>
/// GPT-2 byte-level BPE over vocab.json + merges.txt, merged exactly like the slow <c>GPT2Tokenizer.bpe</c> (lowest rank
/// pair first, all its occurrences left to right). Written here because Microsoft.ML.Tokenizers' CodeGenTokenizer
/// handles whitespace runs differently from the reference (it keeps "ĠĠ"-style runs, the reference gives one "Ġ" per
/// space) and BpeTokenizer has no GPT-2 pre-tokenizer.
/// </summary>
internal sealed class ByteLevelBpeModel
{
    private readonly Dictionary<string, int> _vocab;
    private readonly string[] _tokens;
    private readonly Dictionary<(string, string), int> _ranks = [];
    private readonly ConcurrentDictionary<string, string[]> _cache = new(StringComparer.Ordinal);

    /// <summary>GPT-2's <c>bytes_to_unicode</c>: printable bytes map to themselves, the rest to U+0100 onwards.</summary>
    internal static readonly char[] ByteToChar = BuildByteToChar();
    internal static readonly Dictionary<char, byte> CharToByte = Enumerable.Range(0, 256).ToDictionary(b => ByteToChar[b], b => (byte)b);

    public ByteLevelBpeModel(string vocabPath, string mergesPath)
    {
        try
        {
            _vocab = JsonSerializer.Deserialize<Dictionary<string, int>>(File.ReadAllText(vocabPath))
                ?? throw new InvalidDataException($"'{vocabPath}' is empty.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{vocabPath}' is not a JSON object of token → id ({e.Message}).", e);
        }
        _tokens = new string[_vocab.Count == 0 ? 0 : _vocab.Values.Max() + 1];
        foreach (var (token, id) in _vocab) _tokens[id] = token;
        // As GPT2Tokenizer: drop the first line (#version) and the last element of split("\n").
        var lines = File.ReadAllText(mergesPath).Split('\n');
        for (int i = 1; i < lines.Length - 1; i++)
        {
            var parts = lines[i].Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
            if (parts.Length == 2) _ranks.TryAdd((parts[0], parts[1]), i - 1);
        }
        if (_ranks.Count == 0) throw new InvalidDataException($"'{mergesPath}' has no merges (expected '#version' then one 'a b' pair per line).");
    }

    public int Count => _tokens.Length;

    public int? Lookup(string token) => _vocab.TryGetValue(token, out int id) ? id : null;

    public string? Token(int id) => id < _tokens.Length ? _tokens[id] : null;

    /// <summary>The BPE pieces of one byte-encoded pre-token.</summary>
    public string[] Merge(string word)
    {
        if (_cache.TryGetValue(word, out var cached)) return cached;
        var symbols = new List<string>(word.Length);
        foreach (char c in word) symbols.Add(c.ToString());
        while (symbols.Count > 1)
        {
            int best = int.MaxValue, at = -1;
            for (int i = 0; i + 1 < symbols.Count; i++)
                if (_ranks.TryGetValue((symbols[i], symbols[i + 1]), out int r) && r < best) { best = r; at = i; }
            if (at < 0) break;
            string first = symbols[at], second = symbols[at + 1];
            var merged = new List<string>(symbols.Count);
            for (int i = 0; i < symbols.Count;)
            {
                if (i + 1 < symbols.Count && symbols[i] == first && symbols[i + 1] == second) { merged.Add(first + second); i += 2; }
                else merged.Add(symbols[i++]);
            }
            symbols = merged;
        }
        var result = symbols.ToArray();
        if (_cache.Count > 200_000) _cache.Clear();
        _cache[word] = result;
        return result;
    }

    private static char[] BuildByteToChar()
    {
        var map = new char[256];
        int next = 256;
        for (int b = 0; b < 256; b++)
            map[b] = b is >= '!' and <= '~' or >= 0xA1 and <= 0xAC or >= 0xAE and <= 0xFF ? (char)b : (char)next++;
        return map;
    }
}
