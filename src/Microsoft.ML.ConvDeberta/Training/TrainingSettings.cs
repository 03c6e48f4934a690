using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Training;

/// <summary>Everything the training loop is told from outside (hyper-parameters, device, stopping, reporting).</summary>
internal sealed record TrainingSettings
{
    public int Epochs { get; init; } = 3;
    public int BatchSize { get; init; } = 32;
    public double LearningRate { get; init; } = 2e-5;
    public double WeightDecay { get; init; } = 0.01;
    /// <summary>Fraction of all optimizer steps with a linear warmup from 0 to <see cref="LearningRate"/>.</summary>
    public double WarmupRatio { get; init; } = 0.06;
    public double MaxGradNorm { get; init; } = 1.0;
    public int GradientAccumulationSteps { get; init; } = 1;
    /// <summary>Epochs without validation improvement before stopping; null = never stop early.</summary>
    public int? EarlyStoppingPatience { get; init; }
    public int Seed { get; init; }
    public Device Device { get; init; } = CPU;
    /// <summary>Batch size used for validation passes (no gradients, so larger is fine).</summary>
    public int EvaluationBatchSize { get; init; } = 64;
    public CancellationToken CancellationToken { get; init; }
    /// <summary>Stops training (keeping what was learned) when this much time has passed.</summary>
    public TimeSpan? TimeBudget { get; init; }
    /// <summary>Polled before every batch; true stops training with <see cref="OperationCanceledException"/>.</summary>
    public Func<bool> IsCanceled { get; init; } = static () => false;
    /// <summary>Receives one line per report (the MLContext log channel).</summary>
    public Action<string> Log { get; init; } = static _ => { };
    public IProgress<TrainingProgress>? Progress { get; init; }
    /// <summary>Minimum time between step reports.</summary>
    public TimeSpan ReportInterval { get; init; } = TimeSpan.FromSeconds(10);
}

/// <summary>What training did.</summary>
internal sealed record TrainingResult(int EpochsRun, long Steps, double? BestValidationMetric, int? BestEpoch, bool StoppedByTimeBudget, double TokensPerSecond);
