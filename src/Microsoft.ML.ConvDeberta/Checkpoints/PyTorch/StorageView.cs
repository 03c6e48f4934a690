using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;

/// <summary>Raw storage bytes → TorchSharp tensors: filling a storage from a stream and taking strided views of it.</summary>
internal static class StorageView
{
    /// <summary>Bytes per element of a storage dtype.</summary>
    public static long ElementSize(ScalarType dtype) => dtype switch
    {
        ScalarType.Float64 or ScalarType.Int64 => 8,
        ScalarType.Float32 or ScalarType.Int32 => 4,
        ScalarType.Float16 or ScalarType.BFloat16 or ScalarType.Int16 => 2,
        ScalarType.Int8 or ScalarType.Byte or ScalarType.Bool => 1,
        _ => throw new InvalidDataException($"Unsupported storage dtype {dtype}."),
    };

    /// <summary>
    /// The tensor <paramref name="r"/> describes: a view of <paramref name="storage"/> (1-D, the whole storage) at
    /// its offset with its size and strides, checked to stay inside the storage.
    /// </summary>
    public static Tensor Create(Tensor storage, TensorRef r, string name, string file)
    {
        if (r.Size.Length != r.Stride.Length || r.Size.Any(s => s < 0) || r.Stride.Any(s => s < 0) || r.Offset < 0)
            throw new InvalidDataException($"'{file}': tensor '{name}' has an invalid layout (size [{string.Join(", ", r.Size)}], stride [{string.Join(", ", r.Stride)}], offset {r.Offset}).");
        bool empty = r.Size.Any(s => s == 0);
        long last;
        try { last = checked(r.Offset + r.Size.Zip(r.Stride, (s, st) => checked((s - 1) * st)).Sum()); }
        catch (OverflowException) { last = long.MaxValue; }
        if (!empty && last >= r.Storage.Count)
            throw new InvalidDataException(
                $"'{file}': tensor '{name}' (size [{string.Join(", ", r.Size)}], offset {r.Offset}) reads element {last} of a storage holding {r.Storage.Count}; the file is corrupt.");
        return storage.as_strided(r.Size, r.Stride, r.Offset);
    }
}
