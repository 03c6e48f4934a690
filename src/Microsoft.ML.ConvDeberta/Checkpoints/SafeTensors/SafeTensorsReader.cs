using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;

/// <summary>
/// Reads tensors from a <c>.safetensors</c> file. Each tensor's bytes are read once, with positioned reads straight
/// into the tensor's native storage: one copy from the page cache, no managed array, and no memory mapping (whose
/// per-page faults buy nothing when every byte is copied anyway).
/// </summary>
internal static class SafeTensorsReader
{
    /// <summary>Loads every tensor of the file, keeping its stored dtype.</summary>
    public static Dictionary<string, Tensor> Load(string path)
    {
        if (!File.Exists(path))
            throw new FileNotFoundException($"safetensors file '{path}' does not exist.", path);
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, bufferSize: 0);
        var (entries, _, dataStart) = SafeTensorsHeader.Read(stream, path);
        var result = new Dictionary<string, Tensor>(entries.Count);
        try
        {
            foreach (var entry in entries)
            {
                var tensor = torch.empty(entry.Shape, ToScalarType(entry.DType, path));
                result[entry.Name] = tensor;
                TensorMemory.ReadAt(tensor, stream.SafeFileHandle, dataStart + entry.Begin);
            }
        }
        catch (EndOfStreamException e)
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw new InvalidDataException($"safetensors file '{path}' is truncated ({e.Message}).", e);
        }
        catch
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw;
        }
        return result;
    }

    /// <summary>The header's <c>__metadata__</c> strings (e.g. <c>format: pt</c>), without reading any tensor.</summary>
    public static IReadOnlyDictionary<string, string> ReadMetadata(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
        return SafeTensorsHeader.Read(stream, path).Metadata;
    }

    /// <summary>Maps a safetensors dtype code to TorchSharp's scalar type.</summary>
    public static ScalarType ToScalarType(string dtype, string file) => dtype switch
    {
        "F64" => ScalarType.Float64,
        "F32" => ScalarType.Float32,
        "F16" => ScalarType.Float16,
        "BF16" => ScalarType.BFloat16,
        "I64" => ScalarType.Int64,
        "I32" => ScalarType.Int32,
        "I16" => ScalarType.Int16,
        "I8" => ScalarType.Int8,
        "U8" => ScalarType.Byte,
        "BOOL" => ScalarType.Bool,
        _ => throw new InvalidDataException($"safetensors file '{file}' uses dtype '{dtype}', which this library cannot load (supported: F64, F32, F16, BF16, I64, I32, I16, I8, U8, BOOL)."),
    };
}
