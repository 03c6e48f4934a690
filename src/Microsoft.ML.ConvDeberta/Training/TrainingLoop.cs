using System.Diagnostics;
using Microsoft.ML.ConvDeberta.Models;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>
/// The one fine-tuning loop every trainer uses: AdamW with linear warmup/decay, gradient clipping and accumulation,
/// length-grouped shuffled batches, a validation pass over the whole validation set after each epoch, early stopping
/// that restores the best weights, progress reports, cancellation and a time budget checked before every batch.
/// The task object supplies batches, loss and metric; the model is trained in place.
/// </summary>
internal static class TrainingLoop
{
    public static TrainingResult Run(TaskModel model, ITrainingTask task, TrainingSettings settings)
    {
        if (task.TrainLengths.Count == 0) throw new InvalidOperationException("The training set is empty: there is nothing to fine-tune on.");
        var random = new Random(settings.Seed);
        torch.random.manual_seed(settings.Seed);
        if (settings.Device.type == DeviceType.CUDA) torch.cuda.manual_seed_all(settings.Seed);

        int accumulation = Math.Max(1, settings.GradientAccumulationSteps);
        int batchesPerEpoch = (task.TrainLengths.Count + settings.BatchSize - 1) / settings.BatchSize;
        long stepsPerEpoch = (batchesPerEpoch + accumulation - 1) / accumulation;
        long totalSteps = stepsPerEpoch * settings.Epochs;
        long warmupSteps = (long)Math.Ceiling(totalSteps * settings.WarmupRatio);
        var parameters = model.parameters().Where(p => p.requires_grad).ToList();

        using var optimizer = Optimization.CreateAdamW(model, settings.LearningRate, settings.WeightDecay);
        var clock = Stopwatch.StartNew();
        var reportClock = Stopwatch.StartNew();
        long step = 0, tokensSinceReport = 0, tokensTotal = 0;
        double lossSinceReport = 0; int lossCount = 0;
        double? best = null; int? bestEpoch = null; int badEpochs = 0, epochsRun = 0;
        WeightSnapshot? bestWeights = null;
        bool outOfTime = false;
        var metricProbe = task.CreateMetric();
        try
        {
            for (int epoch = 1; epoch <= settings.Epochs && !outOfTime; epoch++)
            {
                model.train();
                var batches = LengthGroupedBatcher.Shuffled(task.TrainLengths, settings.BatchSize, random);
                optimizer.zero_grad();
                for (int b = 0; b < batches.Count; b++)
                {
                    if (ShouldStop(settings, clock)) { outOfTime = true; break; }
                    using (var scope = NewDisposeScope())
                    {
                        using var batch = task.Collate(batches[b], validation: false, settings.Device);
                        var output = model.forward(batch.Inputs);
                        var loss = task.Loss(output, batch);
                        (accumulation > 1 ? loss / accumulation : loss).backward();
                        lossSinceReport += loss.to(ScalarType.Float32).item<float>(); lossCount++;
                        tokensSinceReport += batch.Tokens; tokensTotal += batch.Tokens;
                    }
                    if ((b + 1) % accumulation != 0 && b != batches.Count - 1) continue;
                    double rate = Optimization.LinearSchedule(settings.LearningRate, step, warmupSteps, totalSteps);
                    Optimization.SetLearningRate(optimizer, rate);
                    if (settings.MaxGradNorm > 0) nn.utils.clip_grad_norm_(parameters, settings.MaxGradNorm, 2.0);
                    optimizer.step();
                    optimizer.zero_grad();
                    step++;
                    if (reportClock.Elapsed >= settings.ReportInterval)
                        Report(settings, epoch, step, totalSteps, rate, null, metricProbe.Name, clock, reportClock, ref lossSinceReport, ref lossCount, ref tokensSinceReport);
                }
                epochsRun = epoch;
                if (task.ValidationLengths.Count == 0 || outOfTime)
                {
                    Report(settings, epoch, step, totalSteps, CurrentRate(optimizer), null, metricProbe.Name, clock, reportClock, ref lossSinceReport, ref lossCount, ref tokensSinceReport);
                    continue;
                }
                var (metric, name, higherIsBetter) = Evaluate(model, task, settings);
                Report(settings, epoch, step, totalSteps, CurrentRate(optimizer), metric, name, clock, reportClock, ref lossSinceReport, ref lossCount, ref tokensSinceReport);
                if (best is null || (higherIsBetter ? metric > best : metric < best))
                {
                    best = metric; bestEpoch = epoch; badEpochs = 0;
                    bestWeights?.Dispose();
                    bestWeights = settings.EarlyStoppingPatience is null && epoch == settings.Epochs ? null : new WeightSnapshot(model);
                }
                else if (settings.EarlyStoppingPatience is { } patience && ++badEpochs >= patience)
                {
                    settings.Log($"Early stopping after epoch {epoch}: validation {name} has not improved for {badEpochs} epoch(s); best {best:F4} at epoch {bestEpoch}.");
                    break;
                }
            }
            if (bestWeights != null && bestEpoch != epochsRun)
            {
                bestWeights.RestoreInto(model);
                settings.Log($"Restored the weights of epoch {bestEpoch} (best validation {metricProbe.Name} {best:F4}).");
            }
            if (outOfTime) settings.Log($"Training stopped by the time budget after {clock.Elapsed:hh\\:mm\\:ss} ({step} optimizer steps).");
        }
        finally
        {
            bestWeights?.Dispose();
            model.eval();
        }
        return new TrainingResult(epochsRun, step, best, bestEpoch, outOfTime, tokensTotal / Math.Max(1e-9, clock.Elapsed.TotalSeconds));
    }

    /// <summary>Runs the task's metric over the whole validation set without gradients.</summary>
    public static (double Value, string Name, bool HigherIsBetter) Evaluate(TaskModel model, ITrainingTask task, TrainingSettings settings)
    {
        model.eval();
        var metric = task.CreateMetric();
        using (torch.no_grad())
        {
            foreach (var rows in LengthGroupedBatcher.Sorted(task.ValidationLengths, settings.EvaluationBatchSize))
            {
                if (settings.IsCanceled() || settings.CancellationToken.IsCancellationRequested) ThrowCanceled(settings);
                using var scope = NewDisposeScope();
                using var batch = task.Collate(rows, validation: true, settings.Device);
                metric.Add(model.forward(batch.Inputs), batch);
            }
        }
        model.train();
        return (metric.Result, metric.Name, metric.HigherIsBetter);
    }

    private static bool ShouldStop(TrainingSettings settings, Stopwatch clock)
    {
        if (settings.IsCanceled() || settings.CancellationToken.IsCancellationRequested) ThrowCanceled(settings);
        return settings.TimeBudget is { } budget && clock.Elapsed >= budget;
    }

    private static void ThrowCanceled(TrainingSettings settings)
    {
        settings.CancellationToken.ThrowIfCancellationRequested();
        throw new OperationCanceledException("Training was cancelled (MLContext.CancelExecution).");
    }

    private static double CurrentRate(optim.Optimizer optimizer) => optimizer.ParamGroups.First().LearningRate;

    private static void Report(TrainingSettings settings, int epoch, long step, long totalSteps, double rate, double? metric, string metricName,
        Stopwatch clock, Stopwatch reportClock, ref double loss, ref int lossCount, ref long tokens)
    {
        double seconds = Math.Max(1e-9, reportClock.Elapsed.TotalSeconds);
        var elapsed = clock.Elapsed;
        var remaining = step == 0 ? TimeSpan.Zero : TimeSpan.FromSeconds(elapsed.TotalSeconds / step * Math.Max(0, totalSteps - step));
        var progress = new TrainingProgress(epoch, settings.Epochs, step, totalSteps, lossCount == 0 ? double.NaN : loss / lossCount,
            rate, tokens / seconds, metric, metric is null ? null : metricName, elapsed, remaining);
        settings.Log(progress.ToString());
        settings.Progress?.Report(progress);
        loss = 0; lossCount = 0; tokens = 0;
        reportClock.Restart();
    }
}
