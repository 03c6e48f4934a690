using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

[TestClass]
public class CheckpointWriterTests
{
    private static readonly TinyFamily Family = new();

    private static TaskModel Create(TaskHead head, int seed)
    {
        torch.manual_seed(seed);
        return Family.Create(new TinyConfig(), head);
    }

    [TestMethod]
    public void SaveWritesConfigAndWeightsWithoutTiedDuplicates()
    {
        using var temp = new TempFolder();
        using var model = Create(TaskHead.MaskedLM, 1);
        CheckpointWriter.Save(temp.Path, model, new TinyConfig());

        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "config.json")));
        Assert.AreEqual("tiny-test", config.RootElement.GetProperty("model_type").GetString());
        Assert.AreEqual("float32", config.RootElement.GetProperty("torch_dtype").GetString());
        Assert.AreEqual("TinyForMaskedLM", config.RootElement.GetProperty("architectures")[0].GetString());
        Assert.AreEqual(11, config.RootElement.GetProperty("vocab_size").GetInt32());

        var saved = SafeTensorsReader.Load(Path.Combine(temp.Path, "model.safetensors"));
        try
        {
            var expected = CheckpointWriter.WeightsToSave(model).ToDictionary(kv => kv.Key, kv => kv.Value.detach());
            Assert.IsFalse(saved.ContainsKey("lm_head.weight"), "the tied decoder must be omitted, as save_pretrained does");
            Assert.IsTrue(saved.ContainsKey("lm_head.bias"), "only the aliased key is omitted");
            StateDictAssert.Identical(expected, saved, "saved");

            using var reloaded = Create(TaskHead.MaskedLM, 2);
            var report = WeightLoader.Load(reloaded, saved, temp.Path);
            CollectionAssert.AreEqual(new[] { "lm_head.weight" }, report.Retied.ToArray());
            var after = reloaded.state_dict();
            foreach (var (key, value) in model.state_dict())
                StateDictAssert.SameTensor(value.detach(), after[key].detach(), key);
        }
        finally { StateDictAssert.Dispose(saved); }
    }

    [TestMethod]
    public void SaveKeepsABFloat16CheckpointInBFloat16()
    {
        using var temp = new TempFolder();
        using var model = Create(TaskHead.TokenClassification, 3);
        // A bf16 checkpoint loaded into a float32 model: its storage dtype is remembered and used on save.
        var bf16Checkpoint = model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().to(ScalarType.BFloat16));
        var storageDType = WeightLoader.Load(model, bf16Checkpoint, "bf16").StorageDType;
        Assert.AreEqual(ScalarType.BFloat16, storageDType, "the load report remembers the checkpoint's dtype");
        Assert.IsTrue(model.parameters().All(p => p.dtype == ScalarType.Float32), "the model still computes in float32");

        CheckpointWriter.Save(temp.Path, model, new TinyConfig(), storageDType);
        using var config = JsonDocument.Parse(File.ReadAllText(Path.Combine(temp.Path, "config.json")));
        Assert.AreEqual("bfloat16", config.RootElement.GetProperty("torch_dtype").GetString());
        var saved = SafeTensorsReader.Load(Path.Combine(temp.Path, "model.safetensors"));
        try
        {
            Assert.IsTrue(saved.Values.All(t => t.dtype == ScalarType.BFloat16), "every weight stored as BF16");
            StateDictAssert.Identical(bf16Checkpoint, saved, "bf16 round trip");
        }
        finally
        {
            StateDictAssert.Dispose(saved);
            StateDictAssert.Dispose(bf16Checkpoint);
        }
    }

    [TestMethod]
    public void SaveRefusesANonFloatingStorageDType()
    {
        using var temp = new TempFolder();
        using var model = Create(TaskHead.Base, 1);
        var error = Assert.ThrowsExactly<ArgumentException>(() => CheckpointWriter.Save(temp.Path, model, new TinyConfig(), ScalarType.Int64));
        StringAssert.Contains(error.Message, "floating-point");
    }
}
