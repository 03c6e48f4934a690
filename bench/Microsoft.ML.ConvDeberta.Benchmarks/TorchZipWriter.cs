using System.IO.Compression;
using System.Text;
using Microsoft.ML.ConvDeberta.Checkpoints;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// <summary>
/// Writes a state dict the way <c>torch.save</c> does (zip: <c>archive/data.pkl</c> with an OrderedDict of
/// <c>_rebuild_tensor_v2</c> calls, one stored record per storage), so the .bin reader can be timed on the same
/// tensors as the safetensors reader. Benchmark-only: float32 contiguous tensors, one storage each.
/// </summary>
internal static class TorchZipWriter
{
    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors)
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var pickle = new MemoryStream();
        pickle.Write([0x80, 0x02]);                                   // PROTO 2
        Global(pickle, "collections", "OrderedDict");
        pickle.Write([(byte)')', (byte)'R', (byte)'(']);             // OrderedDict() MARK
        int key = 0;
        foreach (var (name, tensor) in tensors)
        {
            if (tensor.dtype != ScalarType.Float32) throw new ArgumentException("The benchmark writer stores float32 only.");
            Unicode(pickle, name);
            Global(pickle, "torch._utils", "_rebuild_tensor_v2");
            pickle.WriteByte((byte)'(');                              // MARK (args)
            pickle.WriteByte((byte)'(');                              // MARK (persistent id)
            Unicode(pickle, "storage");
            Global(pickle, "torch", "FloatStorage");
            Unicode(pickle, key.ToString(System.Globalization.CultureInfo.InvariantCulture));
            Unicode(pickle, "cpu");
            Int(pickle, tensor.numel());
            pickle.Write([(byte)'t', (byte)'Q']);                     // TUPLE, BINPERSID
            Int(pickle, 0);                                           // storage offset
            Tuple(pickle, tensor.shape);
            Tuple(pickle, ContiguousStrides(tensor.shape));
            pickle.WriteByte(0x89);                                   // requires_grad False
            Global(pickle, "collections", "OrderedDict");
            pickle.Write([(byte)')', (byte)'R', (byte)'t', (byte)'R']); // hooks = OrderedDict(); TUPLE; REDUCE
            using var record = zip.CreateEntry($"archive/data/{key}", CompressionLevel.NoCompression).Open();
            TensorMemory.WriteTo(tensor.contiguous(), record);
            key++;
        }
        pickle.Write([(byte)'u', (byte)'.']);                         // SETITEMS, STOP
        using (var s = zip.CreateEntry("archive/data.pkl", CompressionLevel.NoCompression).Open()) s.Write(pickle.ToArray());
        using (var s = zip.CreateEntry("archive/version", CompressionLevel.NoCompression).Open()) s.Write("3\n"u8);
        using (var s = zip.CreateEntry("archive/byteorder", CompressionLevel.NoCompression).Open()) s.Write("little"u8);
    }

    private static long[] ContiguousStrides(long[] shape)
    {
        var strides = new long[shape.Length];
        long stride = 1;
        for (int i = shape.Length - 1; i >= 0; i--) { strides[i] = stride; stride *= shape[i]; }
        return strides;
    }

    private static void Global(Stream s, string module, string name) => s.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

    private static void Unicode(Stream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        s.WriteByte((byte)'X');
        s.Write(BitConverter.GetBytes(bytes.Length));
        s.Write(bytes);
    }

    private static void Int(Stream s, long value)
    {
        s.WriteByte((byte)'J');                                       // BININT (values here fit in int32)
        s.Write(BitConverter.GetBytes(checked((int)value)));
    }

    private static void Tuple(Stream s, long[] values)
    {
        s.WriteByte((byte)'(');
        foreach (var v in values) Int(s, v);
        s.WriteByte((byte)'t');
    }
}
