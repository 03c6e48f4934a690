using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

[TestClass]
public class PyTorchCheckpointWriterTests
{
    public static IEnumerable<object[]> Cases() => ReferenceCases.All();

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BinRoundTripKeepsTensorsAndSharedStorage(string caseName)
    {
        var folder = SharedData.Reference("models", caseName);
        using var temp = new TempFolder();
        var original = PyTorchCheckpointReader.Load(Path.Combine(folder, "pytorch_model.bin"));
        try
        {
            var path = Path.Combine(temp.Path, "pytorch_model.bin");
            PyTorchCheckpointWriter.Save(path, original);
            var back = PyTorchCheckpointReader.Load(path);
            try
            {
                StateDictAssert.Identical(original, back, caseName);
                foreach (var tie in ReferenceCases.Weights(folder).GetProperty("tied_in_state_dict").EnumerateObject())
                    Assert.AreEqual(TensorMemory.Pointer(back[tie.Value.GetString()!]), TensorMemory.Pointer(back[tie.Name]), $"{caseName}: {tie.Name} shares storage again");
            }
            finally { StateDictAssert.Dispose(back); }
        }
        finally { StateDictAssert.Dispose(original); }
    }

    [TestMethod]
    public void EveryCheckpointDTypeRoundTrips()
    {
        using var temp = new TempFolder();
        var tensors = new Dictionary<string, Tensor>
        {
            ["f32"] = torch.randn(3, 5),
            ["f16"] = torch.randn(4, 2).to(ScalarType.Float16),
            ["bf16"] = torch.randn(2, 3, 2).to(ScalarType.BFloat16),
            ["i64"] = torch.arange(-3L, 7L),
            ["bool"] = torch.tensor(new[] { true, false, true }),
            ["scalar"] = torch.tensor(2.5f),
            ["transposed"] = torch.randn(3, 4).t(),
        };
        try
        {
            var path = Path.Combine(temp.Path, "pytorch_model.bin");
            PyTorchCheckpointWriter.Save(path, tensors, prefix: "pytorch_model");
            var back = PyTorchCheckpointReader.Load(path);
            try { StateDictAssert.Identical(tensors, back, "dtypes"); }
            finally { StateDictAssert.Dispose(back); }
        }
        finally { StateDictAssert.Dispose(tensors); }
    }
}
