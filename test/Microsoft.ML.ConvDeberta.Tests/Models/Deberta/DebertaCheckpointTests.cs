using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.Deberta;

/// <summary>
/// The tiny DeBERTa snapshots (Hugging Face's own init, vocab 50265, max_relative_positions -1 → 512) loaded through
/// <see cref="PretrainedModels"/>, compared with what the Python reference computed on the stored token ids.
/// </summary>
[TestClass]
public class DebertaCheckpointTests
{
    [TestMethod]
    public void SequenceClassificationSnapshotMatchesReference()
    {
        using var scope = NewDisposeScope();
        var folder = SharedData.Reference("checkpoints", "tiny-deberta-seqcls");
        using var reference = new ReferenceCase(folder, "checkpoints/tiny-deberta-seqcls");
        var (model, report) = PretrainedModels.Load(folder, TaskHead.SequenceClassification);
        using var _ = model;
        Assert.AreEqual(0, report.NewlyInitialized.Count, report.ToString());
        Assert.AreEqual(0, report.Unexpected.Count, report.ToString());
        model.Encoder.Outputs = OutputOptions.All;
        using var noGrad = torch.no_grad();
        var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
        TensorAssert.Close(reference.Tensors["logits"], output.Logits!, 1e-4, 1e-4, "logits");
        TensorAssert.Close(reference.Tensors["loss"].reshape(-1), output.Loss!.reshape(-1), 1e-5, 1e-5, "loss");
        for (int i = 0; i < 3; i++)
            TensorAssert.Close(reference.Tensors[$"hidden_states.{i}"], output.Encoder.HiddenStates[i], 1e-4, 1e-4, $"hidden_states.{i}");
    }

    [TestMethod]
    public void BaseSnapshotLoadsIntoAHeadModelWithTheSameEncoder()
    {
        using var scope = NewDisposeScope();
        var seqcls = SharedData.Reference("checkpoints", "tiny-deberta-seqcls");
        using var reference = new ReferenceCase(seqcls, "checkpoints/tiny-deberta-seqcls");
        var (model, report) = PretrainedModels.Load(SharedData.Reference("checkpoints", "tiny-deberta"), TaskHead.SequenceClassification);
        using var _ = model;
        CollectionAssert.AreEquivalent(
            new[] { "pooler.dense.weight", "pooler.dense.bias", "classifier.weight", "classifier.bias" }, report.NewlyInitialized.ToArray(), report.ToString());
        using var noGrad = torch.no_grad();
        var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
        // The snapshot's encoder is the seqcls snapshot's encoder: identical encoder output, freshly initialised head.
        TensorAssert.Close(reference.Tensors["debug.last_hidden_state"], output.Encoder.LastHiddenState, 1e-4, 1e-4, "debug.last_hidden_state");
        var classifier = model.state_dict()["classifier.weight"];
        Assert.AreEqual(0.02, classifier.std().item<float>(), 0.015, "classifier initialised like Hugging Face (normal, std initializer_range)");
        Assert.AreEqual(0f, model.state_dict()["classifier.bias"].abs().max().item<float>());
    }

    // masked_lm_nonlegacy exists only for deberta_v1 (the original head needs embedding_size == hidden_size).
    public static IEnumerable<object[]> ForwardCases() =>
        new[] { "base", "masked_lm", "masked_lm_nonlegacy", "seq_cls", "qa", "token_cls" }.Select(h => "deberta_v1/" + h)
            .Concat(new[] { "base", "masked_lm", "seq_cls", "qa", "token_cls" }.Select(h => "deberta_v1_pbi/" + h))
            .Select(c => new object[] { c });

    /// <summary>pytorch_model.bin holds every key, tied aliases included (sharing storage): the same outputs as safetensors.</summary>
    [TestMethod]
    [DynamicData(nameof(ForwardCases))]
    public void PyTorchBinLoadsToTheSameOutputs(string caseName)
    {
        using var scope = NewDisposeScope();
        var folder = SharedData.Reference("models", caseName);
        using var reference = new ReferenceCase(folder, caseName);
        using var model = ModelParityTests.Build(reference);
        var weights = CheckpointFiles.LoadFile(Path.Combine(folder, "pytorch_model.bin"));
        var report = WeightLoader.Load(model, weights, folder);
        foreach (var t in weights.Values) t.Dispose();
        Assert.AreEqual(0, report.NewlyInitialized.Count + report.Unexpected.Count, report.ToString());
        model.eval();
        using var noGrad = torch.no_grad();
        var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
        foreach (var (name, spec) in reference.TensorsWithRole("output"))
            TensorAssert.Close(reference.Tensors[name], ModelParityTests.Select(output, name)!,
                ReferenceCase.Tolerance(spec, "atol", 1e-4), ReferenceCase.Tolerance(spec, "rtol", 1e-4), $"{caseName} (.bin): {name}");
    }

    [TestMethod]
    public void SavedMaskedLMReloadsWithTiedDecoder()
    {
        using var scope = NewDisposeScope();
        using var reference = ModelParityTests.Open("deberta_v1_pbi/masked_lm");
        using var model = ModelParityTests.Build(reference);
        var folder = Path.Combine(Path.GetTempPath(), "deberta-save-" + Guid.NewGuid().ToString("N"));
        try
        {
            CheckpointWriter.Save(folder, model, model.Encoder.Config);
            var saved = CheckpointFiles.LoadStateDict(folder);
            Assert.IsFalse(saved.ContainsKey("cls.predictions.decoder.weight"), "tied aliases are omitted, as save_pretrained does");
            foreach (var t in saved.Values) t.Dispose();
            var (reloaded, report) = PretrainedModels.Load(folder, TaskHead.MaskedLM);
            using var _ = reloaded;
            CollectionAssert.AreEquivalent(new[] { "cls.predictions.decoder.weight", "cls.predictions.decoder.bias" }, report.Retied.ToArray());
            using var noGrad = torch.no_grad();
            var output = reloaded.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
            TensorAssert.Close(reference.Tensors["logits"], output.Logits!, 1e-4, 1e-4, "logits after save/reload");
        }
        finally
        {
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }
}
