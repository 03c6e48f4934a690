using System.Buffers.Binary;
using System.Text;

namespace Microsoft.ML.ConvDeberta.Tokenization.SentencePiece;

/// <summary>
/// SentencePiece's precompiled normalization map: a Darts double-array trie over UTF-8 keys whose values index
/// NUL-terminated replacement strings. Used to look up single characters the library leaves alone.
/// </summary>
internal sealed class PrecompiledCharsMap
{
    private readonly uint[] _trie;
    private readonly byte[] _strings;

    public PrecompiledCharsMap(byte[] blob)
    {
        int trieBytes = (int)BinaryPrimitives.ReadUInt32LittleEndian(blob);
        if (trieBytes % 4 != 0 || 4 + trieBytes > blob.Length)
            throw new InvalidDataException("SentencePiece precompiled_charsmap is malformed (trie size).");
        _trie = new uint[trieBytes / 4];
        for (int i = 0; i < _trie.Length; i++) _trie[i] = BinaryPrimitives.ReadUInt32LittleEndian(blob.AsSpan(4 + 4 * i));
        _strings = blob[(4 + trieBytes)..];
    }

    /// <summary>The replacement of exactly <paramref name="key"/> (whole-key match), or null when the map has none.</summary>
    public string? Lookup(string key)
    {
        byte[] bytes = Encoding.UTF8.GetBytes(key);
        uint node = 0;
        uint unit = _trie[node];
        node ^= Offset(unit);
        string? result = null;
        for (int i = 0; i < bytes.Length; i++)
        {
            node ^= bytes[i];
            if (node >= _trie.Length) return null;
            unit = _trie[node];
            if ((unit & ((1u << 31) | 0xFF)) != bytes[i]) return null;
            node ^= Offset(unit);
            if (i == bytes.Length - 1 && ((unit >> 8) & 1) == 1 && node < _trie.Length)
            {
                int value = (int)(_trie[node] & 0x7FFFFFFF);
                int end = Array.IndexOf(_strings, (byte)0, value);
                result = Encoding.UTF8.GetString(_strings, value, (end < 0 ? _strings.Length : end) - value);
            }
        }
        return result;
    }

    private static uint Offset(uint unit) => (unit >> 10) << (int)((unit & (1u << 9)) >> 6);
}
