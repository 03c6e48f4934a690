using System.IO.Compression;
using System.Text;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;

/// <summary>
/// Writes a state dict as <c>torch.save</c> does (zip, <c>&lt;prefix&gt;/data.pkl</c> = protocol-2 pickle of an
/// OrderedDict of <c>_rebuild_tensor_v2</c> calls, one stored record <c>&lt;prefix&gt;/data/&lt;key&gt;</c> per storage).
/// Tensors that share memory (tied weights) share one storage, as in Python. Used to produce .bin files for tests
/// and benchmarks, and for tools that only read the PyTorch format; prefer safetensors otherwise.
/// </summary>
internal static class PyTorchCheckpointWriter
{
    private static readonly Dictionary<ScalarType, string> StorageNames = new()
    {
        [ScalarType.Float32] = "FloatStorage", [ScalarType.Float16] = "HalfStorage", [ScalarType.BFloat16] = "BFloat16Storage",
        [ScalarType.Float64] = "DoubleStorage", [ScalarType.Int64] = "LongStorage", [ScalarType.Int32] = "IntStorage",
        [ScalarType.Int16] = "ShortStorage", [ScalarType.Int8] = "CharStorage", [ScalarType.Byte] = "ByteStorage", [ScalarType.Bool] = "BoolStorage",
    };

    public static void Save(string path, IReadOnlyDictionary<string, Tensor> tensors, string prefix = "archive")
    {
        using var zip = ZipFile.Open(path, ZipArchiveMode.Create);
        var pickle = new MemoryStream();
        pickle.Write([0x80, 0x02]);                                         // PROTO 2
        Global(pickle, "collections", "OrderedDict");
        pickle.Write([(byte)')', (byte)'R', (byte)'(']);                   // OrderedDict() MARK
        var storages = new Dictionary<(IntPtr, ScalarType, long), string>();
        foreach (var (name, original) in tensors)
        {
            using var tensor = original.detach().cpu().contiguous();
            if (!StorageNames.TryGetValue(tensor.dtype, out var storageName))
                throw new ArgumentException($"Tensor '{name}' has dtype {tensor.dtype}, which has no torch storage type here.");
            // Only memory owned by the caller's tensors identifies a storage: a temporary copy's address may be reused.
            bool ownMemory = original.device_type == TorchSharp.DeviceType.CPU && original.is_contiguous() && tensor.numel() > 0;
            var identity = (ownMemory ? TensorMemory.Pointer(tensor) : IntPtr.Zero, tensor.dtype, tensor.numel());
            if (identity.Item1 == IntPtr.Zero || !storages.TryGetValue(identity, out var key))
            {
                key = storages.Count.ToString(System.Globalization.CultureInfo.InvariantCulture);
                if (identity.Item1 != IntPtr.Zero) storages[identity] = key;
                using var record = zip.CreateEntry($"{prefix}/data/{key}", CompressionLevel.NoCompression).Open();
                TensorMemory.WriteTo(tensor, record);
            }
            Unicode(pickle, name);
            Global(pickle, "torch._utils", "_rebuild_tensor_v2");
            pickle.Write([(byte)'(', (byte)'(']);                           // MARK (args) MARK (persistent id)
            Unicode(pickle, "storage");
            Global(pickle, "torch", storageName);
            Unicode(pickle, key);
            Unicode(pickle, "cpu");
            Int(pickle, tensor.numel());
            pickle.Write([(byte)'t', (byte)'Q']);                           // TUPLE, BINPERSID
            Int(pickle, 0);                                                 // storage offset
            Tuple(pickle, tensor.shape);
            Tuple(pickle, tensor.stride());
            pickle.WriteByte(0x89);                                         // requires_grad = False
            Global(pickle, "collections", "OrderedDict");
            pickle.Write([(byte)')', (byte)'R', (byte)'t', (byte)'R']);     // backward_hooks = OrderedDict(); TUPLE; REDUCE
        }
        pickle.Write([(byte)'u', (byte)'.']);                               // SETITEMS, STOP
        Record(zip, $"{prefix}/data.pkl", pickle.ToArray());
        Record(zip, $"{prefix}/byteorder", "little"u8.ToArray());
        Record(zip, $"{prefix}/version", "3\n"u8.ToArray());
    }

    private static void Record(ZipArchive zip, string name, byte[] bytes)
    {
        using var stream = zip.CreateEntry(name, CompressionLevel.NoCompression).Open();
        stream.Write(bytes);
    }

    private static void Global(Stream s, string module, string name) => s.Write(Encoding.ASCII.GetBytes($"c{module}\n{name}\n"));

    private static void Unicode(Stream s, string text)
    {
        var bytes = Encoding.UTF8.GetBytes(text);
        s.WriteByte((byte)'X');                                             // BINUNICODE
        s.Write(BitConverter.GetBytes(bytes.Length));
        s.Write(bytes);
    }

    private static void Int(Stream s, long value)
    {
        if (value is >= int.MinValue and <= int.MaxValue)
        {
            s.WriteByte((byte)'J');                                         // BININT
            s.Write(BitConverter.GetBytes((int)value));
        }
        else
        {
            s.Write([0x8a, 8]);                                             // LONG1, 8 bytes
            s.Write(BitConverter.GetBytes(value));
        }
    }

    private static void Tuple(Stream s, long[] values)
    {
        s.WriteByte((byte)'(');
        foreach (var v in values) Int(s, v);
        s.WriteByte((byte)'t');
    }
}
