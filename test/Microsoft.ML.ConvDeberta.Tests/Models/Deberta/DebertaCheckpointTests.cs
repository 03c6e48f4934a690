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
}
