using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;

/// <summary>
/// Writes a <c>.safetensors</c> file byte-compatible with the reference writer (and Hugging Face's): 8-byte
/// little-endian header length, compact JSON header (<c>__metadata__</c> first, then the tensors in data order)
/// padded with spaces so the data starts 8-byte aligned, then the tensors packed without gaps, ordered by dtype
/// (widest first, as the safetensors library sorts) and then by name.
/// </summary>
internal static class SafeTensorsWriter
{
    private static readonly JsonWriterOptions JsonOptions = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>Writes <paramref name="tensors"/> (any device, any layout) to <paramref name="path"/>, replacing it atomically.</summary>
    /// <param name="path">The file to write.</param>
    /// <param name="tensors">Name → tensor.</param>
    /// <param name="metadata">String metadata; <c>{"format": "pt"}</c> when null, as PyTorch writers do.</param>
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var ordered = tensors
            .Select(kv => (Name: kv.Key, Tensor: kv.Value, DType: ToDTypeCode(kv.Value.dtype, kv.Key)))
            .OrderByDescending(t => DTypeRank(t.DType)).ThenBy(t => t.Name, StringComparer.Ordinal)
            .ToList();
        var header = Header(ordered.Select(t => (t.Name, t.DType, t.Tensor.shape, t.Tensor.numel() * t.Tensor.element_size())), metadata ?? new Dictionary<string, string> { ["format"] = "pt" });

        var temporary = path + ".tmp";
        try
        {
            using (var stream = new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 20))
            {
                Span<byte> length = stackalloc byte[8];
                BitConverter.TryWriteBytes(length, (long)header.Length);
                stream.Write(length);
                stream.Write(header);
                foreach (var (_, tensor, _) in ordered)
                {
                    using var contiguous = tensor.detach().cpu().contiguous();
                    TensorMemory.WriteTo(contiguous, stream);
                }
            }
            File.Move(temporary, path, overwrite: true);
        }
        catch
        {
            File.Delete(temporary);
            throw;
        }
    }

    /// <summary>The padded JSON header for tensors given in data order.</summary>
    private static byte[] Header(IEnumerable<(string Name, string DType, long[] Shape, long Bytes)> tensors, IReadOnlyDictionary<string, string> metadata)
    {
        var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, JsonOptions))
        {
            json.WriteStartObject();
            json.WriteStartObject("__metadata__");
            foreach (var (key, value) in metadata) json.WriteString(key, value);
            json.WriteEndObject();
            long offset = 0;
            foreach (var (name, dtype, shape, bytes) in tensors)
            {
                json.WriteStartObject(name);
                json.WriteString("dtype", dtype);
                json.WriteStartArray("shape");
                foreach (var d in shape) json.WriteNumberValue(d);
                json.WriteEndArray();
                json.WriteStartArray("data_offsets");
                json.WriteNumberValue(offset);
                json.WriteNumberValue(offset + bytes);
                json.WriteEndArray();
                json.WriteEndObject();
                offset += bytes;
            }
            json.WriteEndObject();
        }
        int padding = (int)((8 - buffer.Length % 8) % 8);
        buffer.Write(Encoding.ASCII.GetBytes(new string(' ', padding)));
        return buffer.ToArray();
    }

    /// <summary>The safetensors dtype code of a TorchSharp scalar type.</summary>
    public static string ToDTypeCode(ScalarType dtype, string name) => dtype switch
    {
        ScalarType.Float64 => "F64",
        ScalarType.Float32 => "F32",
        ScalarType.Float16 => "F16",
        ScalarType.BFloat16 => "BF16",
        ScalarType.Int64 => "I64",
        ScalarType.Int32 => "I32",
        ScalarType.Int16 => "I16",
        ScalarType.Int8 => "I8",
        ScalarType.Byte => "U8",
        ScalarType.Bool => "BOOL",
        _ => throw new ArgumentException($"Tensor '{name}' has dtype {dtype}, which safetensors cannot store (supported: float64/32/16, bfloat16, int64/32/16/8, uint8, bool)."),
    };

    /// <summary>The safetensors library's Dtype enum order; data is laid out from the highest rank down.</summary>
    private static int DTypeRank(string code) => code switch
    {
        "BOOL" => 0, "U8" => 1, "I8" => 2, "I16" => 5, "U16" => 6, "F16" => 7, "BF16" => 8,
        "I32" => 9, "U32" => 10, "F32" => 11, "F64" => 12, "I64" => 13, "U64" => 14,
        _ => -1,
    };
}
