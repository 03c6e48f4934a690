using System.IO.Compression;
using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>The .bin reader on altered copies of a reference file: other layouts that must load, damage that must be named.</summary>
[TestClass]
public class PyTorchCheckpointReaderTests
{
    private static string ReferenceBin() => SharedData.Reference("models", "deberta_v1", "masked_lm", "pytorch_model.bin");

    private static void AssertSameAsReference(string path, string what)
    {
        var expected = PyTorchCheckpointReader.Load(ReferenceBin());
        var actual = PyTorchCheckpointReader.Load(path);
        try { StateDictAssert.Identical(expected, actual, what); }
        finally
        {
            StateDictAssert.Dispose(expected);
            StateDictAssert.Dispose(actual);
        }
    }

    private static string FirstSegment(string name) => name[..(name.IndexOf('/') + 1)];

    [TestMethod]
    public void TopFolderNameIsNotHardCoded()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "weights.bin");
        TorchZipFiles.Rewrite(ReferenceBin(), path, (name, bytes) => ("archive/" + name[FirstSegment(name).Length..], bytes));
        AssertSameAsReference(path, "archive/ prefix");
    }

    [TestMethod]
    public void DeflatedRecordsAreRead()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        TorchZipFiles.Rewrite(ReferenceBin(), path, (name, bytes) => (name, bytes), CompressionLevel.Optimal);
        AssertSameAsReference(path, "deflated");
    }

    [TestMethod]
    public void TruncatedZipIsReported()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        var bytes = File.ReadAllBytes(ReferenceBin());
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "corrupt or truncated zip");
        StringAssert.Contains(error.Message, path);
    }

    [TestMethod]
    public void TruncatedPickleIsReported()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        TorchZipFiles.Rewrite(ReferenceBin(), path, (name, bytes) => (name, name.EndsWith("data.pkl") ? bytes[..(bytes.Length / 2)] : bytes));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "truncated");
    }

    [TestMethod]
    public void MissingStorageRecordIsReported()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        TorchZipFiles.Rewrite(ReferenceBin(), path, (name, bytes) => name.EndsWith("/data/3") ? null : (name, bytes));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "lacks storage record 'pytorch_model/data/3'");
    }

    [TestMethod]
    public void StorageRecordOfWrongSizeIsReported()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        TorchZipFiles.Rewrite(ReferenceBin(), path, (name, bytes) => (name, name.EndsWith("/data/0") ? bytes[..^4] : bytes));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "storage record 'pytorch_model/data/0' has");
    }

    [TestMethod]
    public void BigEndianFilesAreRefused()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        TorchZipFiles.WritePickle(path, TorchZipFiles.Bytes("\\x80\\x02}q\\x00."), new Dictionary<string, byte[]> { ["byteorder"] = "big"u8.ToArray() });
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "'big'-endian");
    }

    [TestMethod]
    [DataRow("cposix\nsystem\n", "posix.system", DisplayName = "GLOBAL posix.system")]
    [DataRow("cbuiltins\neval\n", "builtins.eval", DisplayName = "GLOBAL builtins.eval")]
    [DataRow("\\x8c\\x02os\\x8c\\x06system\\x93", "os.system", DisplayName = "STACK_GLOBAL os.system")]
    [DataRow("ctorch\nload\n", "torch.load", DisplayName = "GLOBAL torch.load")]
    public void DisallowedGlobalsAreRefusedBeforeAnyCall(string global, string named)
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        // global('touch /tmp/pwned') → REDUCE: what a malicious pickle does.
        TorchZipFiles.WritePickle(path, TorchZipFiles.Bytes("\\x80\\x02" + global + "X\\x10\\x00\\x00\\x00touch /tmp/pwned\\x85R."));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, $"'{named}', which is not allowed");
    }

    [TestMethod]
    public void UnknownOpcodeIsNamed()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        TorchZipFiles.WritePickle(path, TorchZipFiles.Bytes("\\x80\\x02}i__main__\nX\n."));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "unsupported pickle opcode 0x69 ('i') at byte 3");
    }

    [TestMethod]
    public void PickleThatIsNotAStateDictIsRefused()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        TorchZipFiles.WritePickle(path, TorchZipFiles.Bytes("\\x80\\x02]q\\x00(K\\x01K\\x02e."));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "does not hold a state dict");
    }

    [TestMethod]
    public void LegacyNonZipFormatIsRefusedClearly()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        // torch < 1.6 files start with a pickled magic number: PROTO 2, LONG1 of 10 bytes.
        File.WriteAllBytes(path, TorchZipFiles.Bytes("\\x80\\x02\\x8a\\x0al\\xfc\\x9cF\\xf9 j\\xa8P\\x19."));
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "legacy (pre-1.6, non-zip) serialization format");
    }

    [TestMethod]
    public void EmptyOrForeignFilesAreRefused()
    {
        using var temp = new TempFolder();
        var empty = Path.Combine(temp.Path, "empty.bin");
        File.WriteAllBytes(empty, []);
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(empty)).Message, "the file is empty");
        var html = Path.Combine(temp.Path, "html.bin");
        File.WriteAllText(html, "<html>404</html>");
        StringAssert.Contains(Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(html)).Message, "not a PyTorch zip checkpoint");
    }

    [TestMethod]
    public void StridedViewsAndOffsetsAreHonoured()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        // storage '0': 6 float32 [0..5]; 'a' = storage[1:5] viewed as [2,2]; 'b' = transposed [3,2] view of the whole storage.
        var storage = new float[] { 0, 1, 2, 3, 4, 5 }.SelectMany(BitConverter.GetBytes).ToArray();
        var pickle = TorchZipFiles.Bytes(
            "\\x80\\x02ccollections\nOrderedDict\nq\\x00)Rq\\x01(" +
            "X\\x01\\x00\\x00\\x00actorch._utils\n_rebuild_tensor_v2\nq\\x02((X\\x07\\x00\\x00\\x00storagectorch\nFloatStorage\nq\\x03X\\x01\\x00\\x00\\x000X\\x03\\x00\\x00\\x00cpuK\\x06tq\\x04QK\\x01K\\x02K\\x02\\x86K\\x02K\\x01\\x86\\x89h\\x00)RtR" +
            "X\\x01\\x00\\x00\\x00bh\\x02(h\\x04QK\\x00K\\x03K\\x02\\x86K\\x01K\\x03\\x86\\x89h\\x00)RtRu.");
        TorchZipFiles.WritePickle(path, pickle, new Dictionary<string, byte[]> { ["data/0"] = storage });
        var tensors = PyTorchCheckpointReader.Load(path);
        try
        {
            CollectionAssert.AreEqual(new[] { "a", "b" }, tensors.Keys.ToArray());
            CollectionAssert.AreEqual(new float[] { 1, 2, 3, 4 }, tensors["a"].contiguous().data<float>().ToArray());
            CollectionAssert.AreEqual(new long[] { 3, 2 }, tensors["b"].shape);
            CollectionAssert.AreEqual(new float[] { 0, 3, 1, 4, 2, 5 }, tensors["b"].contiguous().data<float>().ToArray());
        }
        finally { StateDictAssert.Dispose(tensors); }
    }

    [TestMethod]
    public void ViewOutsideItsStorageIsRefused()
    {
        using var temp = new TempFolder();
        var path = Path.Combine(temp.Path, "pytorch_model.bin");
        var pickle = TorchZipFiles.Bytes(
            "\\x80\\x02}(X\\x01\\x00\\x00\\x00actorch._utils\n_rebuild_tensor_v2\n((X\\x07\\x00\\x00\\x00storagectorch\nFloatStorage\nX\\x01\\x00\\x00\\x000X\\x03\\x00\\x00\\x00cpuK\\x02tQK\\x01K\\x04\\x85K\\x01\\x85\\x89NtRu.");
        TorchZipFiles.WritePickle(path, pickle, new Dictionary<string, byte[]> { ["data/0"] = new byte[8] });
        var error = Assert.ThrowsExactly<InvalidDataException>(() => PyTorchCheckpointReader.Load(path));
        StringAssert.Contains(error.Message, "tensor 'a'");
        StringAssert.Contains(error.Message, "storage holding 2");
    }
}
