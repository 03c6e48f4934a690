using Microsoft.ML.ConvDeberta.Checkpoints;
using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

[TestClass]
public class WeightLoaderTests
{
    private static readonly TinyFamily Family = new();

    private static TaskModel Create(TaskHead head, int seed)
    {
        torch.manual_seed(seed);
        return Family.Create(new TinyConfig(), head);
    }

    /// <summary>A detached copy of the model's state dict (as a checkpoint reader would return).</summary>
    private static Dictionary<string, Tensor> Checkpoint(TaskModel model) =>
        model.state_dict().ToDictionary(kv => kv.Key, kv => kv.Value.detach().clone());

    [TestMethod]
    public void LoadsEveryWeightAndReTiesTheOmittedDecoder()
    {
        using var source = Create(TaskHead.MaskedLM, 1);
        using var target = Create(TaskHead.MaskedLM, 2);
        var checkpoint = Checkpoint(source);
        checkpoint.Remove("lm_head.weight"); // as in model.safetensors
        var report = WeightLoader.Load(target, checkpoint, "tiny");

        CollectionAssert.AreEqual(new[] { "lm_head.weight" }, report.Retied.ToArray());
        Assert.AreEqual(0, report.NewlyInitialized.Count, report.ToString());
        Assert.AreEqual(0, report.Unexpected.Count, report.ToString());
        var loaded = target.state_dict();
        foreach (var (key, value) in source.state_dict())
            StateDictAssert.SameTensor(value.detach(), loaded[key].detach(), key);
        StateDictAssert.Dispose(checkpoint);
    }

    [TestMethod]
    public void MisShapedTensorsAreListedWithBothShapes()
    {
        using var model = Create(TaskHead.MaskedLM, 1);
        var checkpoint = Checkpoint(model);
        checkpoint["tiny.dense.weight"] = torch.zeros(3, 4);
        checkpoint["tiny.embeddings.LayerNorm.bias"] = torch.zeros(5);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => WeightLoader.Load(model, checkpoint, "bad-folder"));
        StringAssert.Contains(error.Message, "bad-folder");
        StringAssert.Contains(error.Message, "tiny.dense.weight: checkpoint [3, 4], model [4, 4]");
        StringAssert.Contains(error.Message, "tiny.embeddings.LayerNorm.bias: checkpoint [5], model [4]");
        StateDictAssert.Dispose(checkpoint);
    }

    [TestMethod]
    public void AMisShapedHeadIsReplacedOnlyWhenAskedAndEncoderMismatchesStillFail()
    {
        using var model = Create(TaskHead.TokenClassification, 1);
        var checkpoint = Checkpoint(model);
        var labels = model.state_dict()["classifier.weight"].shape[0];
        checkpoint["classifier.weight"] = torch.zeros(labels + 3, 4);
        checkpoint["classifier.bias"] = torch.zeros(labels + 3);
        Assert.ThrowsExactly<InvalidDataException>(() => WeightLoader.Load(model, checkpoint, "other-task"));

        var report = WeightLoader.Load(model, checkpoint, "other-task", replaceMismatchedHead: true);
        CollectionAssert.AreEquivalent(new[] { "classifier.weight", "classifier.bias" }, report.NewlyInitialized.ToArray());
        CollectionAssert.AreEquivalent(new[] { $"classifier.weight: checkpoint [{labels + 3}, 4], model [{labels}, 4]", $"classifier.bias: checkpoint [{labels + 3}], model [{labels}]" }, report.ReplacedHead.ToArray());
        StringAssert.Contains(report.ToString(), "2 head weight(s) of another shape replaced");
        Assert.AreNotEqual(0f, model.state_dict()["classifier.weight"].abs().sum().item<float>(), "the replaced head must be initialised, not copied");

        checkpoint["tiny.dense.weight"] = torch.zeros(3, 4);
        var error = Assert.ThrowsExactly<InvalidDataException>(() => WeightLoader.Load(model, checkpoint, "other-task", replaceMismatchedHead: true));
        StringAssert.Contains(error.Message, "tiny.dense.weight: checkpoint [3, 4], model [4, 4]");
        StateDictAssert.Dispose(checkpoint);
    }

    [TestMethod]
    public void MissingEncoderKeysAreListed()
    {
        using var model = Create(TaskHead.TokenClassification, 1);
        var checkpoint = Checkpoint(model);
        checkpoint.Remove("tiny.dense.bias");
        checkpoint.Remove("tiny.embeddings.word_embeddings.weight");
        var error = Assert.ThrowsExactly<InvalidDataException>(() => WeightLoader.Load(model, checkpoint, "partial"));
        StringAssert.Contains(error.Message, "lacks 2 encoder weight(s)");
        StringAssert.Contains(error.Message, "tiny.dense.bias");
        StringAssert.Contains(error.Message, "tiny.embeddings.word_embeddings.weight");
        StateDictAssert.Dispose(checkpoint);
    }

    [TestMethod]
    public void BaseCheckpointLoadsIntoHeadModelAndInitialisesTheHead()
    {
        using var baseModel = Create(TaskHead.Base, 1);
        using var tagger = Create(TaskHead.TokenClassification, 2);
        var checkpoint = Checkpoint(baseModel);
        Assert.IsTrue(checkpoint.ContainsKey("dense.weight"), "base models carry no prefix");
        var report = WeightLoader.Load(tagger, checkpoint, "base");

        CollectionAssert.AreEquivalent(new[] { "classifier.weight", "classifier.bias" }, report.NewlyInitialized.ToArray());
        var loaded = tagger.state_dict();
        StateDictAssert.SameTensor(checkpoint["dense.weight"], loaded["tiny.dense.weight"].detach(), "prefixed encoder weight");
        Assert.AreEqual(0.0, loaded["classifier.bias"].abs().sum().item<float>(), "HF init zeroes new biases");
        StateDictAssert.Dispose(checkpoint);
    }

    [TestMethod]
    public void HeadCheckpointLoadsIntoBaseModelAndReportsTheHeadAsUnused()
    {
        using var tagger = Create(TaskHead.TokenClassification, 1);
        using var baseModel = Create(TaskHead.Base, 2);
        var checkpoint = Checkpoint(tagger);
        var report = WeightLoader.Load(baseModel, checkpoint, "tagger");

        CollectionAssert.AreEqual(new[] { "classifier.bias", "classifier.weight" }, report.Unexpected.ToArray());
        StateDictAssert.SameTensor(checkpoint["tiny.dense.weight"], baseModel.state_dict()["dense.weight"].detach(), "stripped prefix");
        StateDictAssert.Dispose(checkpoint);
    }

    [TestMethod]
    public void LegacyKeySpellingsAreMappedAndIgnorableBuffersDropped()
    {
        using var source = Create(TaskHead.Base, 1);
        using var target = Create(TaskHead.Base, 2);
        var checkpoint = Checkpoint(source);
        checkpoint["embeddings.LayerNorm.gamma"] = checkpoint["embeddings.LayerNorm.weight"];
        checkpoint["embeddings.LayerNorm.beta"] = checkpoint["embeddings.LayerNorm.bias"];
        checkpoint.Remove("embeddings.LayerNorm.weight");
        checkpoint.Remove("embeddings.LayerNorm.bias");
        checkpoint["embeddings.position_ids"] = torch.arange(8L).unsqueeze(0);
        var report = WeightLoader.Load(target, checkpoint, "legacy");

        Assert.AreEqual(0, report.Unexpected.Count, report.ToString());
        Assert.AreEqual(0, report.NewlyInitialized.Count, report.ToString());
        StateDictAssert.SameTensor(checkpoint["embeddings.LayerNorm.gamma"], target.state_dict()["embeddings.LayerNorm.weight"].detach(), "gamma → weight");
        StateDictAssert.Dispose(checkpoint);
    }
}
