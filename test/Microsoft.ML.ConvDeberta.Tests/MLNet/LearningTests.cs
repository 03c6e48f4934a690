using Microsoft.ML.Data;
using Microsoft.ML.ConvDeberta.MLNet;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>
/// The tiny checkpoints are random-init, so these tests check that fine-tuning really learns (from scratch, with a
/// high learning rate): held-out accuracy clearly above the majority-class baseline on real datasets.
/// Measured on the idle 2-core machine: UCI 0.820 accuracy (AUC 0.861) vs 0.520 majority; SNIPS 0.75 vs 0.173 majority;
/// SNIPS same-intent pairs 0.660 (AUC 0.705) vs 0.500.
/// </summary>
[TestClass]
public class LearningTests
{
    public TestContext TestContext { get; set; } = null!;

    [TestMethod, TestCategory("Slow")]
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
        var trainer = ml.BinaryClassification.Trainers.ConvBert(options);
        using var model = trainer.Fit(train);
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        TestContext.WriteLine($"UCI sentiment (ConvBERT tiny, 1200 train / 400 test): accuracy {metrics.Accuracy:F3}, AUC {metrics.AreaUnderRocCurve:F3}, majority baseline {majority:F3}, {trainer.LastResult!.TokensPerSecond:F0} training tokens/s");
        Assert.IsTrue(metrics.Accuracy > majority + 0.08, $"accuracy {metrics.Accuracy:F3} is not clearly above the majority baseline {majority:F3}");
    }

    [TestMethod, TestCategory("Slow")]
    public void SnipsIntentsBeatTheMajorityBaseline()
    {
        var ml = new MLContext(seed: 7);
        var trainRows = TextData.Snips("train.tsv").Take(1400).ToList();
        var testRows = TextData.Snips("test.tsv").Take(300).ToList();
        double majority = testRows.GroupBy(r => r.Label).Max(g => g.Count()) / (double)testRows.Count;
        using var checkpoint = TextData.SampleModelCopy();
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.MulticlassClassification.Trainers.DebertaV2(new PretrainedTextTrainerOptions
            {
                Checkpoint = checkpoint.Folder, Sentence1ColumnName = "Text", BatchSize = 32, MaxEpochs = 3,
                LearningRate = 1e-3, MaxSequenceLength = 64,
            }));
        using var model = pipeline.Fit(ml.Data.LoadFromEnumerable(trainRows));
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(testRows)));
        TestContext.WriteLine($"SNIPS (sample DeBERTa-v3 tiny from scratch, 1400 train / 300 test): micro accuracy {metrics.MicroAccuracy:F3}, macro {metrics.MacroAccuracy:F3}, majority baseline {majority:F3}");
        Assert.IsTrue(metrics.MicroAccuracy > majority + 0.4, $"accuracy {metrics.MicroAccuracy:F3} is not clearly above the majority baseline {majority:F3}");
    }

    [TestMethod, TestCategory("Slow")]
    public void SnipsSameIntentSentencePairsBeatTheMajorityBaseline()
    {
        // A sentence-pair task an untrained model can learn: both utterances' intents matter, so the model has to read
        // both segments ([CLS] A [SEP] B [SEP]) and compare them. Balanced, so the majority baseline is 0.5.
        var ml = new MLContext(seed: 7);
        var train = TextData.SnipsSameIntentPairs("train.tsv", 10_000, seed: 1);
        var test = TextData.SnipsSameIntentPairs("test.tsv", 400, seed: 2);
        double majority = Math.Max(test.Count(p => p.Label), test.Count(p => !p.Label)) / (double)test.Count;
        using var checkpoint = TextData.SampleModelCopy("tiny-convbert");
        var trainer = ml.BinaryClassification.Trainers.ConvBert(new PretrainedTextTrainerOptions
        {
            Checkpoint = checkpoint.Folder, Sentence1ColumnName = "Sentence1", Sentence2ColumnName = "Sentence2", BatchSize = 32, MaxEpochs = 6,
            LearningRate = 1e-3, MaxSequenceLength = 64, WarmupRatio = 0.1,
        });
        using var model = trainer.Fit(ml.Data.LoadFromEnumerable(train));
        var metrics = ml.BinaryClassification.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)));
        TestContext.WriteLine($"SNIPS same-intent pairs (sample ConvBERT h64 from scratch, 10,000 train / 400 test pairs): accuracy {metrics.Accuracy:F3}, AUC {metrics.AreaUnderRocCurve:F3}, majority baseline {majority:F3}, {trainer.LastResult!.TokensPerSecond:F0} training tokens/s");
        Assert.IsTrue(metrics.Accuracy > majority + 0.1, $"accuracy {metrics.Accuracy:F3} is not clearly above the majority baseline {majority:F3}");
    }

    [TestMethod, TestCategory("Slow")]
    public void UciSentimentAsRegressionBeatsTheMeanBaseline()
    {
        // STS-B similarity does not beat its mean baseline when these tiny models start from random weights (dev RMSE
        // 1.547 at best vs 1.537, Pearson 0.12, on all 5,749 pairs; 1.463 / Pearson 0.30 after a 6-minute
        // self-supervised word-overlap pre-training stage; a word-overlap linear regression gets 1.141 / 0.65): it needs
        // pretrained weights. Polarity as a 0/1 target is a real regression signal an untrained model can learn.
        var ml = new MLContext(seed: 7);
        var rows = TextData.UciSentiment().Select(r => new TextData.Score { Text = r.Text, Label = r.Label ? 1f : 0f }).ToList();
        var train = rows.Take(1200).ToList();
        var test = rows.Skip(1200).Take(400).ToList();
        double mean = train.Average(r => r.Label);
        double baselineRmse = Math.Sqrt(test.Average(r => (r.Label - mean) * (r.Label - mean)));
        var trainer = ml.Regression.Trainers.Deberta(new PretrainedTextTrainerOptions
        {
            Checkpoint = TextData.Checkpoint("tiny-deberta"), Sentence1ColumnName = "Text", BatchSize = 32, MaxEpochs = 3,
            LearningRate = 2e-3, MaxSequenceLength = 64, WarmupRatio = 0.1,
        });
        using var model = trainer.Fit(ml.Data.LoadFromEnumerable(train));
        var metrics = ml.Regression.Evaluate(model.Transform(ml.Data.LoadFromEnumerable(test)));
        TestContext.WriteLine($"UCI sentiment as regression (DeBERTa tiny from scratch, 1200 train / 400 test): RMSE {metrics.RootMeanSquaredError:F3}, R² {metrics.RSquared:F3}; mean baseline RMSE {baselineRmse:F3}");
        Assert.IsTrue(metrics.RootMeanSquaredError < baselineRmse * 0.95, $"RMSE {metrics.RootMeanSquaredError:F3} is not clearly below the mean baseline {baselineRmse:F3}");
    }
}
