using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>read → <see cref="SafeTensorsWriter"/> → read gives the same tensors; the writer reproduces the reference files byte for byte.</summary>
[TestClass]
public class SafeTensorsRoundTripTests
{
    public static IEnumerable<object[]> Cases() => ReferenceCases.All();

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void RewritingReferenceFilesReproducesTheirBytes(string caseName)
    {
        var folder = SharedData.Reference("models", caseName);
        using var temp = new TempFolder();
        foreach (var file in new[] { "model.safetensors", "expected.safetensors" })
        {
            var source = Path.Combine(folder, file);
            var tensors = SafeTensorsReader.Load(source);
            try
            {
                var copy = Path.Combine(temp.Path, file);
                SafeTensorsWriter.Save(copy, tensors, SafeTensorsReader.ReadMetadata(source));
                CollectionAssert.AreEqual(File.ReadAllBytes(source), File.ReadAllBytes(copy), $"{caseName}/{file}: rewritten bytes differ");
            }
            finally { StateDictAssert.Dispose(tensors); }
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BinToSafeTensorsRoundTripKeepsEveryTensor(string caseName)
    {
        var folder = SharedData.Reference("models", caseName);
        using var temp = new TempFolder();
        var bin = PyTorchCheckpointReader.Load(Path.Combine(folder, "pytorch_model.bin"));
        try
        {
            var path = Path.Combine(temp.Path, "model.safetensors");
            SafeTensorsWriter.Save(path, bin); // tied keys included: they are written as separate copies
            var back = SafeTensorsReader.Load(path);
            try { StateDictAssert.Identical(bin, back, caseName + " (F32)"); }
            finally { StateDictAssert.Dispose(back); }
        }
        finally { StateDictAssert.Dispose(bin); }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BFloat16RoundTripIsExact(string caseName)
    {
        var folder = SharedData.Reference("models", caseName);
        using var temp = new TempFolder();
        var f32 = SafeTensorsReader.Load(Path.Combine(folder, "model.safetensors"));
        var bf16 = f32.ToDictionary(kv => kv.Key, kv => kv.Value.to(ScalarType.BFloat16));
        try
        {
            var path = Path.Combine(temp.Path, "model.safetensors");
            SafeTensorsWriter.Save(path, bf16);
            var back = SafeTensorsReader.Load(path);
            try
            {
                Assert.IsTrue(back.Values.All(t => t.dtype == ScalarType.BFloat16), $"{caseName}: stored dtype should stay BF16");
                StateDictAssert.Identical(bf16, back, caseName + " (BF16)");
            }
            finally { StateDictAssert.Dispose(back); }
        }
        finally
        {
            StateDictAssert.Dispose(f32);
            StateDictAssert.Dispose(bf16);
        }
    }

    [TestMethod]
    public void MixedDTypesAndNonContiguousTensorsRoundTrip()
    {
        using var temp = new TempFolder();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32.transposed"] = torch.arange(12, ScalarType.Float32).reshape(3, 4).t(),
            ["f16"] = torch.linspace(-2, 2, 7).to(ScalarType.Float16),
            ["bf16"] = torch.linspace(-3, 3, 5).to(ScalarType.BFloat16),
            ["i64.scalar"] = torch.tensor(42L),
            ["i64.empty"] = torch.empty(0, 3, ScalarType.Int64),
            ["f32.sliced"] = torch.arange(20, ScalarType.Float32)[TensorIndex.Slice(3, 17, 2)],
        };
        try
        {
            var path = Path.Combine(temp.Path, "mixed.safetensors");
            SafeTensorsWriter.Save(path, tensors);
            var back = SafeTensorsReader.Load(path);
            try { StateDictAssert.Identical(tensors, back, "mixed"); }
            finally { StateDictAssert.Dispose(back); }
            // Data order: I64 first, then F32, then the 2-byte types; header length keeps the data 8-byte aligned.
            var bytes = File.ReadAllBytes(path);
            long headerLength = BitConverter.ToInt64(bytes, 0);
            Assert.AreEqual(0, (8 + headerLength) % 8);
            var header = System.Text.Encoding.UTF8.GetString(bytes, 8, (int)headerLength);
            StringAssert.StartsWith(header, "{\"__metadata__\":{\"format\":\"pt\"},\"i64.empty\":");
            Assert.IsTrue(header.IndexOf("\"f32.sliced\"", StringComparison.Ordinal) < header.IndexOf("\"bf16\"", StringComparison.Ordinal));
        }
        finally { StateDictAssert.Dispose(tensors); }
    }
}
