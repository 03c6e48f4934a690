using Microsoft.ML.ConvDeberta.Training;

namespace Microsoft.ML.ConvDeberta.Tests.Training;

[TestClass]
public class TrainingPartsTests
{
    [TestMethod]
    public void LengthGroupedBatchesCoverEveryExampleOnceAndGroupSimilarLengths()
    {
        var random = new Random(1);
        var lengths = Enumerable.Range(0, 1000).Select(_ => random.Next(3, 200)).ToArray();
        var batches = LengthGroupedBatcher.Shuffled(lengths, 16, new Random(5));
        CollectionAssert.AreEquivalent(Enumerable.Range(0, 1000).ToArray(), batches.SelectMany(b => b).ToArray());
        double spread = batches.Average(b => b.Max(i => lengths[i]) - b.Min(i => lengths[i]));
        Assert.IsTrue(spread < 20, $"mean length spread per batch {spread:F1} should be small when grouped");
        var again = LengthGroupedBatcher.Shuffled(lengths, 16, new Random(6));
        Assert.IsFalse(batches.SelectMany(b => b).SequenceEqual(again.SelectMany(b => b)), "each epoch must shuffle differently");
    }

    [TestMethod]
    public void WeightDecaySkipsBiasesAndLayerNorms()
    {
        Assert.IsTrue(Optimization.IsExemptFromDecay("deberta.encoder.layer.0.attention.output.dense.bias"));
        Assert.IsTrue(Optimization.IsExemptFromDecay("deberta.embeddings.LayerNorm.weight"));
        Assert.IsTrue(Optimization.IsExemptFromDecay("convbert.encoder.layer.1.output.LayerNorm.weight"));
        Assert.IsFalse(Optimization.IsExemptFromDecay("deberta.encoder.layer.0.attention.self.query_proj.weight"));
        Assert.IsFalse(Optimization.IsExemptFromDecay("classifier.weight"));
    }

    [TestMethod]
    public void LinearScheduleWarmsUpThenDecaysToZero()
    {
        Assert.AreEqual(0.25, Optimization.LinearSchedule(1.0, 0, 4, 20), 1e-12);
        Assert.AreEqual(1.0, Optimization.LinearSchedule(1.0, 3, 4, 20), 1e-12);
        Assert.AreEqual(1.0, Optimization.LinearSchedule(1.0, 4, 4, 20), 1e-12);
        Assert.AreEqual(0.5, Optimization.LinearSchedule(1.0, 12, 4, 20), 1e-12);
        Assert.AreEqual(0.0, Optimization.LinearSchedule(1.0, 20, 4, 20), 1e-12);
    }
}
