using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.DebertaV2;

/// <summary>
/// End to end on the tiny DeBERTa-v3 snapshots (real config layout: 256 buckets, vocab 128100): loading from a
/// folder and reproducing the logits and loss Hugging Face computed for three real sentences.
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
