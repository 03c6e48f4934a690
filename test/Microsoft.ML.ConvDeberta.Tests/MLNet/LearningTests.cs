using Microsoft.ML.Data;
using Microsoft.ML.ConvDeberta.MLNet;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>
/// The tiny checkpoints are random-init, so these tests check that fine-tuning really learns (from scratch, with a
/// high learning rate): held-out accuracy clearly above the majority-class baseline on real datasets.
/// </summary>
[TestClass]
public class LearningTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod]
    public void UciSentimentBeatsTheMajorityBaseline()
    {
        var ml = new MLContext(seed: 7);
        var rows = TextData.UciSentiment();
        var train = ml.Data.LoadFromEnumerable(rows.Take(1200));
        var test = ml.Data.LoadFromEnumerable(rows.Skip(1200).Take(400));
        double majority = Math.Max(rows.Skip(1200).Take(400).Count(r => r.Label), rows.Skip(1200).Take(400).Count(r => !r.Label)) / 400.0;
        var options = new PretrainedTextTrainerOptions
        {
            Checkpoint = TextData.Checkpoint("tiny-convbert"), Sentence1ColumnName = "Text", BatchSize = 32, MaxEpochs = 3,
            LearningRate = 2e-3, MaxSequenceLength = 64, WarmupRatio = 0.1,
        };
        using var model = ml.BinaryClassification.Trainers.ConvBert(options).Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        TestContext.WriteLine($"UCI sentiment (ConvBERT tiny, 1200 train / 400 test): accuracy {metrics.Accuracy:F3}, AUC {metrics.AreaUnderRocCurve:F3}, majority baseline {majority:F3}");
        Assert.IsTrue(metrics.Accuracy > majority + 0.08, $"accuracy {metrics.Accuracy:F3} is not clearly above the majority baseline {majority:F3}");
    }

    [TestMethod]
    public void SnipsIntentsBeatTheMajorityBaseline()
    {
        var ml = new MLContext(seed: 7);
        var trainRows = TextData.Snips("train.tsv").Take(700).ToList();
        var testRows = TextData.Snips("test.tsv").Take(300).ToList();
        double majority = testRows.GroupBy(r => r.Label).Max(g => g.Count()) / (double)testRows.Count;
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DebertaV2(new PretrainedTextTrainerOptions
            {
                Checkpoint = TextData.Checkpoint("tiny-deberta-v3"), Sentence1ColumnName = "Text", BatchSize = 32, MaxEpochs = 3,
                LearningRate = 2e-3, MaxSequenceLength = 64, WarmupRatio = 0.1,
            }));
        using var model = pipeline.Fit(ml.Data.LoadFromEnumerable(trainRows));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(testRows)));
        TestContext.WriteLine($"SNIPS (DeBERTa-v3 tiny, 700 train / 300 test): micro accuracy {metrics.MicroAccuracy:F3}, macro {metrics.MacroAccuracy:F3}, majority baseline {majority:F3}");
        Assert.IsTrue(metrics.MicroAccuracy > majority + 0.2, $"accuracy {metrics.MicroAccuracy:F3} is not clearly above the majority baseline {majority:F3}");
    }
}
