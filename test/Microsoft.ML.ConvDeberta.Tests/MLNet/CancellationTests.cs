using Microsoft.ML.Data;
using Microsoft.ML.ConvDeberta.MLNet;
using Microsoft.ML.ConvDeberta.Training;

namespace Microsoft.ML.ConvDeberta.Tests.MLNet;

/// <summary>mlContext.CancelExecution(), a CancellationToken and a time budget all stop training within one batch.</summary>
[TestClass]
public class CancellationTests
{
    private static PretrainedTextTrainerOptions Options(IProgress<TrainingProgress>? progress = null) => new()
    {
        Checkpoint = TextData.Checkpoint("tiny-deberta-v3"), Sentence1ColumnName = "Text", BatchSize = 8, MaxEpochs = 50,
        Progress = progress, ReportInterval = TimeSpan.Zero,
    };

    [TestMethod]
    public void CancelExecutionStopsTraining()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(64));
        int reports = 0;
        var progress = new SynchronousProgress(p => { if (++reports == 2) Microsoft.ML.ConvDeberta.MLNet.Interop.MLNetInternals.CancelExecution(ml); });
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.DebertaV2(Options(progress)).Fit(data));
        Assert.AreEqual(2, reports, "training must stop within one batch of the cancellation");
    }

    [TestMethod]
    public void CancellationTokenStopsTraining()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(64));
        using var source = new CancellationTokenSource();
        int reports = 0;
        var options = Options(new SynchronousProgress(p => { if (++reports == 3) source.Cancel(); }));
        options.CancellationToken = source.Token;
        Assert.ThrowsExactly<OperationCanceledException>(() => ml.BinaryClassification.Trainers.DebertaV2(options).Fit(data));
        Assert.AreEqual(3, reports);
    }

    [TestMethod]
    public void TimeBudgetStopsTrainingAndKeepsTheModel()
    {
        var ml = new MLContext(seed: 1);
        var data = ml.Data.LoadFromEnumerable(TextData.UciSentiment().Take(64));
        var options = Options();
        options.TimeBudget = TimeSpan.FromSeconds(1);
        var started = DateTime.UtcNow;
        using var model = ml.BinaryClassification.Trainers.DebertaV2(options).Fit(data);
        Assert.IsTrue(DateTime.UtcNow - started < TimeSpan.FromSeconds(60), "50 epochs must have been cut short by the 1 s budget");
        Assert.AreEqual(64, model.Transform(data).GetColumn<float>("Score").Count());
    }

    [TestMethod]
    public void ProgressAndLogReportLossLearningRateTokensAndValidation()
    {
        var ml = new MLContext(seed: 1);
        var log = new List<string>();
        ml.Log += (_, e) => { lock (log) log.Add(e.Message); };
        var rows = TextData.UciSentiment();
        var reports = new List<TrainingProgress>();
        var options = Options(new SynchronousProgress(reports.Add));
        options.MaxEpochs = 2;
        options.ValidationSet = ml.Data.LoadFromEnumerable(rows.Skip(100).Take(20));
        using var model = ml.BinaryClassification.Trainers.DebertaV2(options).Fit(ml.Data.LoadFromEnumerable(rows.Take(32)));
        Assert.IsTrue(reports.Count >= 2);
        Assert.IsTrue(reports.Where(r => r.ValidationMetric is null).All(r => r.TokensPerSecond > 0 && r.LearningRate >= 0), "step reports carry tokens/s and the learning rate");
        Assert.AreEqual(2, reports.Count(r => r.ValidationMetric is not null), "one validation metric per epoch");
        Assert.IsTrue(reports.Where(r => r.ValidationMetric is not null).All(r => r.MetricName == "accuracy" && r.ValidationMetric is >= 0 and <= 1));
        lock (log) Assert.IsTrue(log.Any(m => m.Contains("tokens/s", StringComparison.Ordinal)), "progress must reach the MLContext log");
    }

    /// <summary>Progress&lt;T&gt; posts to the thread pool; tests need the callback inline.</summary>
    private sealed class SynchronousProgress(Action<TrainingProgress> report) : IProgress<TrainingProgress>
    {
        public void Report(TrainingProgress value) => report(value);
    }
}
