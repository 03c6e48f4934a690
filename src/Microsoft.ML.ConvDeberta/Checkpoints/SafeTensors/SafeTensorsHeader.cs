using System.Text.Json;

namespace Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;

/// <summary>One tensor's entry in a safetensors header.</summary>
internal sealed record SafeTensorsEntry(string Name, string DType, long[] Shape, long Begin, long End);

/// <summary>
/// Parses the safetensors header: 8-byte little-endian length N, N bytes of JSON
/// (<c>{"name": {"dtype", "shape", "data_offsets"}, "__metadata__": {...}}</c>), then the packed tensor bytes.
/// Every inconsistency (truncation, offsets outside the data, size not matching shape × dtype) is reported
/// with the file name, so a corrupt download never becomes silent garbage.
/// </summary>
internal static class SafeTensorsHeader
{
    private const long MaxHeaderBytes = 100L * 1024 * 1024;

    /// <summary>Bytes per element for each safetensors dtype code.</summary>
    public static int ElementSize(string dtype, string file) => dtype switch
    {
        "F64" or "I64" or "U64" => 8,
        "F32" or "I32" or "U32" => 4,
        "F16" or "BF16" or "I16" or "U16" => 2,
        "I8" or "U8" or "BOOL" or "F8_E4M3" or "F8_E5M2" => 1,
        _ => throw new InvalidDataException($"safetensors file '{file}' uses unsupported dtype '{dtype}'."),
    };

    /// <summary>Reads and validates the header; returns the entries and the absolute offset where data starts.</summary>
    public static (IReadOnlyList<SafeTensorsEntry> Entries, IReadOnlyDictionary<string, string> Metadata, long DataStart) Read(Stream stream, string file)
    {
        long fileLength = stream.Length;
        if (fileLength < 8)
            throw new InvalidDataException($"safetensors file '{file}' is truncated: {fileLength} bytes, shorter than the 8-byte header length.");
        Span<byte> lengthBytes = stackalloc byte[8];
        stream.ReadExactly(lengthBytes);
        long headerLength = BitConverter.ToInt64(lengthBytes);
        if (headerLength <= 0 || headerLength > MaxHeaderBytes || 8 + headerLength > fileLength)
            throw new InvalidDataException($"safetensors file '{file}' is corrupt or truncated: header length {headerLength} does not fit the file ({fileLength} bytes).");
        var headerBytes = new byte[headerLength];
        stream.ReadExactly(headerBytes);
        long dataStart = 8 + headerLength;
        long dataLength = fileLength - dataStart;

        JsonDocument doc;
        try { doc = JsonDocument.Parse(headerBytes); }
        catch (JsonException e) { throw new InvalidDataException($"safetensors file '{file}' has a corrupt JSON header: {e.Message}", e); }
        using (doc)
        {
            var entries = new List<SafeTensorsEntry>();
            var metadata = new Dictionary<string, string>();
            foreach (var property in doc.RootElement.EnumerateObject())
            {
                if (property.Name == "__metadata__")
                {
                    foreach (var m in property.Value.EnumerateObject())
                        metadata[m.Name] = m.Value.ToString();
                    continue;
                }
                var entry = ParseEntry(property, file);
                long expected = ByteSize(entry, file);
                if (entry.End - entry.Begin != expected)
                    throw new InvalidDataException($"safetensors file '{file}': tensor '{entry.Name}' has {entry.End - entry.Begin} bytes but shape [{string.Join(", ", entry.Shape)}] of {entry.DType} needs {expected}.");
                if (entry.Begin < 0 || entry.End > dataLength)
                    throw new InvalidDataException($"safetensors file '{file}' is truncated: tensor '{entry.Name}' ends at byte {entry.End} of a {dataLength}-byte data section.");
                entries.Add(entry);
            }
            return (entries, metadata, dataStart);
        }
    }

    /// <summary>Bytes the entry's shape and dtype need; a negative or overflowing shape is corruption.</summary>
    private static long ByteSize(SafeTensorsEntry entry, string file)
    {
        try
        {
            long count = 1;
            foreach (var dim in entry.Shape)
                count = dim >= 0 ? checked(count * dim) : throw new OverflowException();
            return checked(count * ElementSize(entry.DType, file));
        }
        catch (OverflowException)
        {
            throw new InvalidDataException($"safetensors file '{file}': tensor '{entry.Name}' has an invalid shape [{string.Join(", ", entry.Shape)}].");
        }
    }

    private static SafeTensorsEntry ParseEntry(JsonProperty property, string file)
    {
        try
        {
            var v = property.Value;
            var shape = v.GetProperty("shape").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            var offsets = v.GetProperty("data_offsets").EnumerateArray().Select(e => e.GetInt64()).ToArray();
            if (offsets.Length != 2 || offsets[1] < offsets[0])
                throw new InvalidDataException($"safetensors file '{file}': tensor '{property.Name}' has invalid data_offsets.");
            return new SafeTensorsEntry(property.Name, v.GetProperty("dtype").GetString()!, shape, offsets[0], offsets[1]);
        }
        catch (Exception e) when (e is KeyNotFoundException or InvalidOperationException or FormatException)
        {
            throw new InvalidDataException($"safetensors file '{file}': header entry '{property.Name}' is malformed ({e.Message}).", e);
        }
    }
}
