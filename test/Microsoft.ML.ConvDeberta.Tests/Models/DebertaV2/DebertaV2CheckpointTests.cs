using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.DebertaV2;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.DebertaV2;

/// <summary>
/// Checkpoint formats and folders: every DeBERTa-v2/v3 reference case from pytorch_model.bin, a save → reload round
/// trip, and the tiny DeBERTa-v3 snapshots (real config layout: 256 buckets, vocab 128100) end to end on real sentences.
/// </summary>
[TestClass]
public class DebertaV2CheckpointTests
{
    [TestMethod, TestCategory("Parity")]
    public void SequenceClassificationSnapshotMatchesReference()
    {
        using var scope = NewDisposeScope();
        var folder = SharedData.Reference("checkpoints", "tiny-deberta-v3-seqcls");
        using var reference = new ReferenceCase(folder, "tiny-deberta-v3-seqcls");
        var (model, report) = PretrainedModels.Load(folder, TaskHead.SequenceClassification);
        using (model)
        {
            Assert.AreEqual(0, report.NewlyInitialized.Count, report.ToString());
            Assert.AreEqual(0, report.Unexpected.Count, report.ToString());
            model.Encoder.Outputs = OutputOptions.All;
            using var noGrad = torch.no_grad();
            var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
            CompareAll(reference, output);
        }
    }

    [TestMethod, TestCategory("Parity")]
    public void EncoderSnapshotLoadsUnderANewClassificationHead()
    {
        using var scope = NewDisposeScope();
        var encoderFolder = SharedData.Reference("checkpoints", "tiny-deberta-v3");
        var folder = SharedData.Reference("checkpoints", "tiny-deberta-v3-seqcls");
        using var reference = new ReferenceCase(folder, "tiny-deberta-v3-seqcls");
        var (model, report) = PretrainedModels.Load(encoderFolder, TaskHead.SequenceClassification, c => c.WithLabels(2));
        using (model)
        {
            CollectionAssert.AreEquivalent(new[] { "classifier.bias", "classifier.weight", "pooler.dense.bias", "pooler.dense.weight" },
                report.NewlyInitialized.ToArray(), report.ToString());
            model.Encoder.Outputs = OutputOptions.All;
            using var noGrad = torch.no_grad();
            var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
            // The encoder is identical to the seqcls snapshot's; only the (freshly initialised) head differs.
            foreach (var name in new[] { "hidden_states.0", "hidden_states.1", "hidden_states.2", "debug.last_hidden_state" })
                Compare(reference, name, ModelParityTests.Select(output, name)!);
            CollectionAssert.AreEqual(new long[] { 3, 2 }, output.Logits!.shape);
        }
    }

    public static IEnumerable<object[]> ReferenceCases()
    {
        var root = Path.Combine(SharedData.ReferenceDir, "models");
        var cases = ReferenceCase.Discover(root)
            .Where(c => (c.StartsWith("deberta_v2_", StringComparison.Ordinal) || c.StartsWith("deberta_v3_", StringComparison.Ordinal)) && !c.EndsWith("/train_step", StringComparison.Ordinal))
            .ToList();
        return cases.Count == 0 ? [["(reference folder missing)"]] : cases.Select(c => new object[] { c });
    }

    /// <summary>pytorch_model.bin holds every key, tied aliases included (sharing storage): the same outputs as the reference.</summary>
    [TestMethod, TestCategory("Parity")]
    [DynamicData(nameof(ReferenceCases))]
    public void PyTorchBinLoadsToTheSameOutputs(string caseName)
    {
        using var scope = NewDisposeScope();
        var folder = SharedData.Reference("models", caseName);
        using var reference = new ReferenceCase(folder, caseName);
        var (family, head) = ModelFamilies.ForClassName(reference.ModelClass);
        using var model = family.Create(ModelConfigs.Load(folder), head);
        var weights = CheckpointFiles.LoadFile(Path.Combine(folder, "pytorch_model.bin"));
        var report = WeightLoader.Load(model, weights, folder);
        foreach (var t in weights.Values) t.Dispose();
        Assert.AreEqual(0, report.NewlyInitialized.Count + report.Unexpected.Count, report.ToString());
        model.eval();
        model.Encoder.Outputs = OutputOptions.All;
        using var noGrad = torch.no_grad();
        var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
        foreach (var (name, _) in reference.TensorsWithRole("output"))
            Compare(reference, name, ModelParityTests.Select(output, name)!);
    }

    [TestMethod]
    public void SavedModelReloadsWithTheSameConfigAndOutputs()
    {
        using var scope = NewDisposeScope();
        using var reference = ModelParityTests.Open("deberta_v2_xlarge_style/masked_lm");
        using var model = ModelParityTests.Build(reference);
        var folder = Path.Combine(Path.GetTempPath(), "debertav2-save-" + Guid.NewGuid().ToString("N"));
        try
        {
            CheckpointWriter.Save(folder, model, model.Encoder.Config);
            var reloadedConfig = (DebertaV2Config)ModelConfigs.Load(folder);
            var original = (DebertaV2Config)model.Encoder.Config;
            CollectionAssert.AreEqual(original.PosAttType!.ToArray(), reloadedConfig.PosAttType!.ToArray());
            CollectionAssert.AreEqual(original.Architectures!.ToArray(), reloadedConfig.Architectures!.ToArray());
            Assert.AreEqual(original with { PosAttType = null, ExtraFields = null, Architectures = null },
                reloadedConfig with { PosAttType = null, ExtraFields = null, Architectures = null }, "every other key survives save → load");
            var (reloaded, report) = PretrainedModels.Load(folder, TaskHead.MaskedLM);
            using var _ = reloaded;
            Assert.AreEqual(0, report.NewlyInitialized.Count + report.Unexpected.Count, report.ToString());
            reloaded.Encoder.Outputs = OutputOptions.All;
            using var noGrad = torch.no_grad();
            var output = reloaded.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
            foreach (var (name, _) in reference.TensorsWithRole("output", "loss", "debug"))
                Compare(reference, name, ModelParityTests.Select(output, name)!);
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    private static void CompareAll(ReferenceCase reference, ModelOutput output)
    {
        int compared = 0;
        foreach (var (name, _) in reference.TensorsWithRole("output", "loss", "debug"))
        {
            var actual = ModelParityTests.Select(output, name) ?? throw new AssertFailedException($"the model produced no '{name}'");
            Compare(reference, name, actual);
            compared++;
        }
        Assert.IsTrue(compared >= 3, "expected.json lists logits, loss and hidden states");
    }

    private static void Compare(ReferenceCase reference, string name, Tensor actual)
    {
        var expected = reference.Tensors[name];
        var spec = reference.Json.GetProperty("tensors").GetProperty(name);
        // The reference stores the 0-d loss as shape [1].
        if (actual.dim() == 0) actual = actual.reshape(expected.shape);
        TensorAssert.Close(expected, actual, ReferenceCase.Tolerance(spec, "atol", 1e-4), ReferenceCase.Tolerance(spec, "rtol", 1e-4), $"{reference.Name}: {name}");
    }
}
