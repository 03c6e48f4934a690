namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>
/// A progress report from fine-tuning, sent to <c>Options.Progress</c> and written to the MLContext log.
/// </summary>
/// <param name="Epoch">1-based epoch.</param>
/// <param name="Epochs">Maximum number of epochs.</param>
/// <param name="Step">Optimizer steps done so far.</param>
/// <param name="TotalSteps">Optimizer steps planned for all epochs.</param>
/// <param name="Loss">Mean training loss since the previous report.</param>
/// <param name="LearningRate">Current learning rate (after warmup/decay).</param>
/// <param name="TokensPerSecond">Non-padding tokens processed per second since the previous report.</param>
/// <param name="ValidationMetric">Validation metric after an epoch (null in step reports or without a validation set).</param>
/// <param name="MetricName">Name of <paramref name="ValidationMetric"/> ("accuracy", "rmse").</param>
/// <param name="Elapsed">Time since training started.</param>
/// <param name="EstimatedRemaining">Estimated time to finish all epochs.</param>
public sealed record TrainingProgress(
    int Epoch, int Epochs, long Step, long TotalSteps, double Loss, double LearningRate, double TokensPerSecond,
    double? ValidationMetric, string? MetricName, TimeSpan Elapsed, TimeSpan EstimatedRemaining)
{
    /// <summary>One log line.</summary>
    public override string ToString() =>
        $"epoch {Epoch}/{Epochs} step {Step}/{TotalSteps} loss {Loss:F4} lr {LearningRate:E2} {TokensPerSecond:F0} tokens/s" +
        (ValidationMetric is { } m ? $" validation {MetricName} {m:F4}" : "") +
        $" elapsed {Elapsed:hh\\:mm\\:ss} eta {EstimatedRemaining:hh\\:mm\\:ss}";
}
