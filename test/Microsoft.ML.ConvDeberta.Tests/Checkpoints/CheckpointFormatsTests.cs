using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Checkpoints.PyTorch;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>
/// Every reference case folder ships the same weights twice: <c>pytorch_model.bin</c> (torch.save, all keys, tied
/// keys sharing storage) and <c>model.safetensors</c> (tied duplicates omitted). Both readers must agree bit for bit.
/// </summary>
[TestClass]
public class CheckpointFormatsTests
{
    public static IEnumerable<object[]> Cases() => ReferenceCases.All();

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void BinAndSafeTensorsHoldIdenticalTensors(string caseName)
    {
        var folder = SharedData.Reference("models", caseName);
        var weights = ReferenceCases.Weights(folder);
        var bin = PyTorchCheckpointReader.Load(Path.Combine(folder, "pytorch_model.bin"));
        var safetensors = SafeTensorsReader.Load(Path.Combine(folder, "model.safetensors"));
        try
        {
            Assert.AreEqual(weights.GetProperty("state_dict_keys").GetInt32(), bin.Count, $"{caseName}: keys in pytorch_model.bin");
            Assert.AreEqual(weights.GetProperty("safetensors_keys").GetInt32(), safetensors.Count, $"{caseName}: keys in model.safetensors");
            var omitted = weights.GetProperty("omitted_from_safetensors").EnumerateArray().Select(e => e.GetString()!).ToHashSet();
            var binWithoutTied = bin.Where(kv => !omitted.Contains(kv.Key)).ToDictionary();
            StateDictAssert.Identical(binWithoutTied, safetensors, caseName);

            foreach (var tie in weights.GetProperty("tied_in_state_dict").EnumerateObject())
            {
                var alias = tie.Value.GetString()!;
                StateDictAssert.SameTensor(bin[alias], bin[tie.Name], $"{caseName}: tied {tie.Name}");
                Assert.AreEqual(TensorMemory.Pointer(bin[alias]), TensorMemory.Pointer(bin[tie.Name]),
                    $"{caseName}: {tie.Name} should share storage with {alias} as it did in torch.save");
            }
        }
        finally
        {
            StateDictAssert.Dispose(bin);
            StateDictAssert.Dispose(safetensors);
        }
    }

    [TestMethod]
    [DynamicData(nameof(Cases))]
    public void FolderLoadPrefersSafeTensors(string caseName)
    {
        var folder = SharedData.Reference("models", caseName);
        Assert.AreEqual(Path.Combine(folder, "model.safetensors"), CheckpointFiles.FindWeights(folder));
        var weights = ReferenceCases.Weights(folder);
        var loaded = CheckpointFiles.LoadStateDict(folder);
        try { Assert.AreEqual(weights.GetProperty("safetensors_keys").GetInt32(), loaded.Count); }
        finally { StateDictAssert.Dispose(loaded); }
    }
}
