using System.Runtime.InteropServices;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>
/// Direct access to a CPU tensor's memory. TorchSharp's <c>Tensor.bytes</c> is a <see cref="Span{T}"/> and so stops at
/// 2 GiB; checkpoint tensors (a 128k-vocabulary embedding in float32 is 0.8 GB, larger models exceed 2 GB) are copied
/// through the raw pointer in chunks instead.
/// </summary>
internal static partial class TensorMemory
{
    private const int Chunk = 1 << 30;

    [LibraryImport("LibTorchSharp")]
    private static partial IntPtr THSTensor_data(IntPtr handle);

    /// <summary>The address of the first element of a contiguous CPU tensor.</summary>
    public static IntPtr Pointer(Tensor tensor)
    {
        if (tensor.device_type != DeviceType.CPU || !tensor.is_contiguous())
            throw new ArgumentException("Raw memory access needs a contiguous CPU tensor.", nameof(tensor));
        var pointer = THSTensor_data(tensor.Handle);
        if (pointer == IntPtr.Zero && tensor.numel() > 0) throw new InvalidOperationException("libtorch returned no data pointer for a non-empty tensor.");
        return pointer;
    }

    /// <summary>Size in bytes of the tensor's elements.</summary>
    public static long ByteCount(Tensor tensor) => tensor.numel() * tensor.element_size();

    /// <summary>Fills the tensor's memory from a stream; throws <see cref="EndOfStreamException"/> when it ends early.</summary>
    public static unsafe void ReadFrom(Tensor tensor, Stream source)
    {
        long total = ByteCount(tensor);
        byte* destination = total > 0 ? (byte*)Pointer(tensor) : null;
        for (long done = 0; done < total;)
        {
            int chunk = (int)Math.Min(total - done, Chunk);
            int read = source.ReadAtLeast(new Span<byte>(destination + done, chunk), chunk, throwOnEndOfStream: false);
            if (read < chunk) throw new EndOfStreamException($"Stream ended after {done + read} of {total} bytes.");
            done += chunk;
        }
    }

    /// <summary>Fills the tensor's memory from <paramref name="file"/> starting at <paramref name="offset"/> (positioned reads).</summary>
    public static unsafe void ReadAt(Tensor tensor, Microsoft.Win32.SafeHandles.SafeFileHandle file, long offset)
    {
        long total = ByteCount(tensor);
        byte* destination = total > 0 ? (byte*)Pointer(tensor) : null;
        for (long done = 0; done < total;)
        {
            int chunk = (int)Math.Min(total - done, Chunk);
            int read = RandomAccess.Read(file, new Span<byte>(destination + done, chunk), offset + done);
            if (read == 0) throw new EndOfStreamException($"File ended after {done} of {total} bytes at offset {offset}.");
            done += read;
        }
    }

    /// <summary>Writes the tensor's memory (contiguous CPU) to a stream.</summary>
    public static unsafe void WriteTo(Tensor tensor, Stream destination)
    {
        long total = ByteCount(tensor);
        byte* source = total > 0 ? (byte*)Pointer(tensor) : null;
        for (long done = 0; done < total;)
        {
            int chunk = (int)Math.Min(total - done, Chunk);
            destination.Write(new ReadOnlySpan<byte>(source + done, chunk));
            done += chunk;
        }
    }
}
