using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.ConvDeberta.Training;
using Microsoft.ML.Data;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>Early stopping, precision, device choice and seeding behave as documented.</summary>
[TestClass]
public class TrainingOptionsTests
{
    private static PretrainedTextTrainerOptions Options() => new()
    {
        Checkpoint = TextData.Checkpoint("tiny-deberta-v3"), Sentence1ColumnName = "Text", BatchSize = 16, MaxEpochs = 1,
    };

    [TestMethod]
    public void EarlyStoppingStopsWhenValidationDoesNotImproveAndKeepsTheBestEpoch()
    {
        var ml = new MLContext(seed: 1);
        var rows = TextData.UciSentiment();
        var options = Options();
        options.MaxEpochs = 6;
        options.LearningRate = 1e-12;          // nothing changes, so the metric cannot improve after epoch 1
        options.EarlyStoppingPatience = 1;
        options.ValidationSet = ml.Data.LoadFromEnumerable(rows.Skip(100).Take(16));
        var trainer = ml.BinaryClassification.Trainers.DebertaV2(options);
        using var model = trainer.Fit(ml.Data.LoadFromEnumerable(rows.Take(16)));
        Assert.AreEqual(2, trainer.LastResult!.EpochsRun, "patience 1: stop after the first epoch without improvement");
        Assert.AreEqual(1, trainer.LastResult.BestEpoch);
    }

    [TestMethod]
    public void SameSeedGivesIdenticalModels()
    {
        float[] Train()
        {
            var ml = new MLContext(seed: 11);
            var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
            using var model = ml.BinaryClassification.Trainers.DebertaV2(Options()).Fit(data);
            return model.Transform(data).GetColumn<float>("Score").ToArray();
        }
        CollectionAssert.AreEqual(Train(), Train(), "the MLContext seed must make training reproducible");
    }

    [TestMethod]
    [DataRow("tiny-convbert"), DataRow("tiny-deberta"), DataRow("tiny-deberta-v3")]
    public void BFloat16TrainsAndScores(string checkpoint)
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(16));
        var options = Options();
        options.Precision = TrainingPrecision.BFloat16;
        using var model = TextData.BinaryTrainer(ml, checkpoint, options).Fit(data);
        var probabilities = model.Transform(data).GetColumn<float>("Probability").ToArray();
        Assert.IsTrue(probabilities.All(p => p is >= 0 and <= 1), "bfloat16 scores must be finite probabilities: " + string.Join(", ", probabilities));
    }

    [TestMethod]
    public void CudaWithoutACudaBackendIsAClearError()
    {
        if (TorchSharp.torch.cuda.is_available()) Assert.Inconclusive("CUDA is available here.");
        var ml = new MLContext(seed: 1);
        var options = Options();
        options.Device = ComputeDevice.Cuda;
        var error = Assert.ThrowsExactly<InvalidOperationException>(() => ml.BinaryClassification.Trainers.DebertaV2(options).Fit(ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(8))));
        StringAssert.Contains(error.Message, "TorchSharp-cuda");
    }
}
