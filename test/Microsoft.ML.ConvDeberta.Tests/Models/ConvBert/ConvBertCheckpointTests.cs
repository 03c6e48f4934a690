using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Models.ConvBert;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Models.ConvBert;

/// <summary>
/// The tiny ConvBERT snapshots saved by Hugging Face (reference/checkpoints): loading through
/// <see cref="PretrainedModels"/>, a base checkpoint under a new head, and Hugging Face's initialisation.
/// </summary>
[TestClass]
public class ConvBertCheckpointTests
{
    [TestMethod]
    public void SequenceClassificationSnapshotReproducesTheReference()
    {
        var folder = SharedData.Reference("checkpoints", "tiny-convbert-seqcls");
        using var reference = new ReferenceCase(folder, "tiny-convbert-seqcls");
        var (model, report) = PretrainedModels.Load(folder, TaskHead.SequenceClassification);
        using (model)
        {
            Assert.AreEqual(0, report.NewlyInitialized.Count, report.ToString());
            Assert.AreEqual(0, report.Unexpected.Count, report.ToString());
            model.Encoder.Outputs = OutputOptions.All;
            using var scope = NewDisposeScope();
            using var noGrad = torch.no_grad();
            var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
            TensorAssert.Close(reference.Tensors["logits"], output.Logits!, 1e-4, 1e-4, "logits");
            for (int i = 0; i <= 2; i++)
                TensorAssert.Close(reference.Tensors[$"hidden_states.{i}"], output.Encoder.HiddenStates[i], 1e-4, 1e-4, $"hidden_states.{i}");
            Assert.AreEqual(reference.Tensors["loss"].item<float>(), output.Loss!.item<float>(), 1e-5);
        }
    }

    [TestMethod]
    public void BaseCheckpointLoadsUnderANewHead()
    {
        var folder = SharedData.Reference("checkpoints", "tiny-convbert");
        var seqcls = SharedData.Reference("checkpoints", "tiny-convbert-seqcls");
        using var reference = new ReferenceCase(seqcls, "tiny-convbert-seqcls");    // same encoder weights
        var (model, report) = PretrainedModels.Load(folder, TaskHead.SequenceClassification);
        using (model)
        {
            CollectionAssert.AreEquivalent(
                new[] { "classifier.dense.bias", "classifier.dense.weight", "classifier.out_proj.bias", "classifier.out_proj.weight" },
                report.NewlyInitialized.ToArray());
            var state = model.state_dict();
            Assert.AreEqual(0.0, state["classifier.dense.bias"].abs().max().item<float>(), 0.0, "new biases start at 0");
            Assert.AreEqual(0.02, state["classifier.dense.weight"].std().item<float>(), 0.004, "new weights ~ N(0, initializer_range)");

            model.Encoder.Outputs = OutputOptions.All;
            using var scope = NewDisposeScope();
            using var noGrad = torch.no_grad();
            var output = model.forward(ModelParityTests.Inputs(reference, reference.ForwardKwargs()));
            TensorAssert.Close(reference.Tensors["debug.last_hidden_state"], output.Encoder.LastHiddenState, 1e-4, 1e-4, "encoder output");
        }
    }

    /// <summary>
    /// A fresh model's parameters have the statistics of Hugging Face's own initialisation, which tiny-convbert holds:
    /// the same constants (LayerNorm 1/0, zero biases incl. the separable convolution's) and the same spread elsewhere.
    /// </summary>
    [TestMethod]
    public void FreshWeightsFollowHuggingFaceInitialisation()
    {
        var folder = SharedData.Reference("checkpoints", "tiny-convbert");
        var config = ModelConfigs.Load(folder);
        torch.manual_seed(1234);
        using var model = new ConvBertFamily().Create(config, TaskHead.Base);
        using var scope = NewDisposeScope();
        var saved = CheckpointFiles.LoadStateDict(folder);
        foreach (var (key, ours) in model.state_dict())
        {
            var theirs = saved[key];
            if (theirs.min().item<float>() == theirs.max().item<float>())
                Assert.IsTrue(ours.allclose(theirs, rtol: 0, atol: 0), $"{key}: Hugging Face initialises it to the constant {theirs.min().item<float>()}");
            else if (theirs.numel() >= 256)
            {
                // Both samples must be plausible draws from N(0, initializer_range): std within 5 standard errors.
                double std = config.InitializerRange, band = 5 * std / Math.Sqrt(2.0 * theirs.numel());
                Assert.AreEqual(std, theirs.std().item<float>(), band, $"{key}: the reference is not N(0, {std})");
                Assert.AreEqual(std, ours.std().item<float>(), band, $"{key}: spread of our initialisation");
            }
        }
        var words = model.state_dict()["embeddings.word_embeddings.weight"];
        Assert.AreEqual(0.0, words[config.PadTokenId].abs().max().item<float>(), 0.0, "padding row is zero");
        Assert.IsTrue(model.state_dict()["embeddings.position_embeddings.weight"][config.PadTokenId].abs().max().item<float>() > 0,
            "only the word embeddings have a padding row");
    }

    /// <summary>pytorch_model.bin (every key, tied ones sharing storage) loads to exactly the same weights as model.safetensors.</summary>
    [TestMethod]
    public void PytorchBinLoadsLikeSafetensorsInEveryCase()
    {
        var root = SharedData.Reference("models");
        var family = new ConvBertFamily();
        var cases = ReferenceCase.Discover(root).Where(c => c.StartsWith("convbert", StringComparison.Ordinal)).ToList();
        Assert.IsTrue(cases.Count > 0, $"no convbert cases under {root}");
        foreach (var name in cases)
        {
            var folder = Path.Combine(root, name);
            using var reference = new ReferenceCase(folder, name);
            var config = ModelConfigs.Load(folder);
            var head = family.HeadsByClassName[reference.ModelClass];
            using var fromSafetensors = family.Create(config, head);
            using var fromBin = family.Create(config, head);
            using var scope = NewDisposeScope();
            WeightLoader.Load(fromSafetensors, CheckpointFiles.LoadStateDict(Path.Combine(folder, "model.safetensors")), folder);
            var report = WeightLoader.Load(fromBin, CheckpointFiles.LoadStateDict(Path.Combine(folder, "pytorch_model.bin")), folder);
            Assert.AreEqual(0, report.NewlyInitialized.Count + report.Unexpected.Count + report.Retied.Count, $"{name}: {report}");
            var expected = fromSafetensors.state_dict();
            foreach (var (key, value) in fromBin.state_dict())
                Assert.IsTrue(value.allclose(expected[key], rtol: 0, atol: 0), $"{name}: {key} differs between the two files");
        }
    }
}
