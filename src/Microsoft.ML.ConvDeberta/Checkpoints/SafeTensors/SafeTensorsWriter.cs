using System.Text;
using System.Text.Json;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;

/// <summary>
/// Writes tensors in the safetensors format that <see cref="SafeTensorsReader"/> reads (and Hugging Face writes):
/// 8-byte little-endian header length, JSON header padded with spaces to 8-byte alignment, then the packed
/// C-contiguous little-endian tensor bytes in header order.
/// </summary>
internal static class SafeTensorsWriter
{
    public static void Write(Stream stream, IReadOnlyList<(string Name, Tensor Value)> tensors, IReadOnlyDictionary<string, string>? metadata = null)
    {
        var header = new Dictionary<string, object> { ["__metadata__"] = metadata ?? new Dictionary<string, string> { ["format"] = "pt" } };
        long offset = 0;
        var cpu = new List<Tensor>(tensors.Count);
        try
        {
            foreach (var (name, value) in tensors)
            {
                var tensor = value.detach().cpu().contiguous();
                cpu.Add(tensor);
                long bytes = tensor.NumberOfElements * tensor.ElementSize;
                header[name] = new { dtype = DTypeCode(tensor.dtype, name), shape = tensor.shape, data_offsets = new[] { offset, offset + bytes } };
                offset += bytes;
            }
            var json = Encoding.UTF8.GetBytes(JsonSerializer.Serialize(header));
            int padding = (8 - json.Length % 8) % 8;
            var writer = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true);
            writer.Write((ulong)(json.Length + padding));
            writer.Write(json);
            for (int i = 0; i < padding; i++) writer.Write((byte)' ');
            foreach (var tensor in cpu) writer.Write(tensor.bytes);
            writer.Flush();
        }
        finally
        {
            foreach (var tensor in cpu) tensor.Dispose();
        }
    }

    public static string DTypeCode(ScalarType type, string name) => type switch
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
        _ => throw new NotSupportedException($"Tensor '{name}' has dtype {type}, which safetensors cannot store."),
    };
}
