using System.Text;

namespace Microsoft.ML.ConvDeberta.Tokenization.SentencePiece;

/// <summary>
/// The piece table of an spm.model (protobuf <c>ModelProto.pieces</c>: piece, score, type), read directly: ids are the
/// piece indices, as <c>spm.PieceToId</c> reports them. Microsoft.ML.Tokenizers' vocabulary leaves out the byte pieces
/// and its byte-fallback ids are off by 255, so the byte ids come from here.
/// </summary>
internal sealed class SentencePieceModelFile
{
    private const int ByteType = 6;
    private readonly Dictionary<string, int> _ids = new(StringComparer.Ordinal);

    public SentencePieceModelFile(string path)
    {
        byte[] data = File.ReadAllBytes(path);
        var pieces = new List<string>();
        var byteIds = new int[256];
        Array.Fill(byteIds, -1);
        try
        {
            int pos = 0;
            while (pos < data.Length)
            {
                ulong tag = ReadVarint(data, ref pos);
                int field = (int)(tag >> 3), wire = (int)(tag & 7);
                if (field == 1 && wire == 2)
                {
                    int len = (int)ReadVarint(data, ref pos);
                    var (piece, type) = ReadPiece(data, pos, len);
                    if (type == ByteType && piece.Length == 6 && piece.StartsWith("<0x", StringComparison.Ordinal))
                        byteIds[Convert.ToInt32(piece.Substring(3, 2), 16)] = pieces.Count;
                    _ids.TryAdd(piece, pieces.Count);
                    pieces.Add(piece);
                    pos += len;
                }
                else if (field == 3 && wire == 2)
                {
                    int len = (int)ReadVarint(data, ref pos);
                    CharsMap = ReadCharsMap(data, pos, len);
                    pos += len;
                }
                else Skip(data, ref pos, wire);
            }
        }
        catch (Exception e) when (e is IndexOutOfRangeException or ArgumentOutOfRangeException or FormatException)
        {
            throw new InvalidDataException($"'{path}' is not a valid SentencePiece model (protobuf ModelProto): {e.Message}", e);
        }
        if (pieces.Count == 0) throw new InvalidDataException($"'{path}' has no pieces; is it a SentencePiece model?");
        Pieces = [.. pieces];
        ByteIds = byteIds;
    }

    /// <summary>Piece strings by id.</summary>
    public string[] Pieces { get; }

    /// <summary>Id of the <c>&lt;0xXX&gt;</c> piece of each byte, -1 when the model has no byte fallback.</summary>
    public int[] ByteIds { get; }

    /// <summary>The normalizer's precompiled charsmap (<c>normalizer_spec.precompiled_charsmap</c>), null when absent.</summary>
    public PrecompiledCharsMap? CharsMap { get; }

    public int? Lookup(string piece) => _ids.TryGetValue(piece, out int id) ? id : null;

    private static (string Piece, int Type) ReadPiece(byte[] data, int start, int length)
    {
        string piece = "";
        int type = 1, pos = start;
        while (pos < start + length)
        {
            ulong tag = ReadVarint(data, ref pos);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            if (field == 1 && wire == 2)
            {
                int len = (int)ReadVarint(data, ref pos);
                piece = Encoding.UTF8.GetString(data, pos, len);
                pos += len;
            }
            else if (field == 3 && wire == 0) type = (int)ReadVarint(data, ref pos);
            else Skip(data, ref pos, wire);
        }
        return (piece, type);
    }

    private static PrecompiledCharsMap? ReadCharsMap(byte[] data, int start, int length)
    {
        for (int pos = start; pos < start + length;)
        {
            ulong tag = ReadVarint(data, ref pos);
            int field = (int)(tag >> 3), wire = (int)(tag & 7);
            if (field == 2 && wire == 2)
            {
                int len = (int)ReadVarint(data, ref pos);
                return len > 4 ? new PrecompiledCharsMap(data.AsSpan(pos, len).ToArray()) : null;
            }
            Skip(data, ref pos, wire);
        }
        return null;
    }

    private static ulong ReadVarint(byte[] data, ref int pos)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            byte b = data[pos++];
            value |= (ulong)(b & 0x7F) << shift;
            if (b < 0x80) return value;
            if (shift > 63) throw new FormatException("varint too long");
        }
    }

    private static void Skip(byte[] data, ref int pos, int wire)
    {
        switch (wire)
        {
            case 0: ReadVarint(data, ref pos); break;
            case 1: pos += 8; break;
            case 2: int length = (int)ReadVarint(data, ref pos); pos += length; break; // read first: `pos +=` would use the old pos
            case 5: pos += 4; break;
            default: throw new FormatException($"unsupported protobuf wire type {wire}");
        }
        if (pos > data.Length) throw new FormatException("truncated message");
    }
}
