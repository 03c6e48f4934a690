using Microsoft.ML.ConvDeberta.Tokenization;
using Microsoft.ML.ConvDeberta.Training;

namespace Microsoft.ML.ConvDeberta.MLNet;

/// <summary>
/// Everything that configures fine-tuning a ConvBERT / DeBERTa / DeBERTa-v2 checkpoint inside an ML.NET pipeline.
/// Defaults follow the Hugging Face Trainer (AdamW, lr 2e-5, weight decay 0.01, linear schedule).
/// </summary>
/// <example><code>
/// var options = new PretrainedTextTrainerOptions { Checkpoint = "models/deberta-v3-small", Sentence1ColumnName = "Text", MaxEpochs = 2 };
/// var trainer = mlContext.BinaryClassification.Trainers.DebertaV2(options);
/// </code></example>
public sealed class PretrainedTextTrainerOptions
{
    /// <summary>A local Hugging Face checkpoint folder (config.json, weights, tokenizer files), or a Hub id 'org/name[@revision]' downloaded into the Hugging Face cache (see <see cref="CheckpointResolver"/>).</summary>
    public string Checkpoint { get; set; } = "";
    /// <summary>Label column: Boolean (binary), key type (multiclass, e.g. from MapValueToKey) or Single (regression). Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";
    /// <summary>The text column (String). Default "Sentence1".</summary>
    public string Sentence1ColumnName { get; set; } = "Sentence1";
    /// <summary>Optional second text column for sentence-pair tasks (encoded as <c>[CLS] A [SEP] B [SEP]</c>). Default null.</summary>
    public string? Sentence2ColumnName { get; set; }
    /// <summary>Rows per training batch. Default 32.</summary>
    public int BatchSize { get; set; } = 32;
    /// <summary>Maximum number of passes over the training data. Default 3.</summary>
    public int MaxEpochs { get; set; } = 3;
    /// <summary>Peak learning rate of AdamW. Default 2e-5.</summary>
    public double LearningRate { get; set; } = 2e-5;
    /// <summary>Optional validation data (same columns); its metric is computed over all rows after each epoch and the best epoch's weights are kept.</summary>
    public IDataView? ValidationSet { get; set; }
    /// <summary>AdamW weight decay, not applied to biases and LayerNorm weights. Default 0.01.</summary>
    public double WeightDecay { get; set; } = 0.01;
    /// <summary>Fraction of optimizer steps used for linear warmup. Default 0.06.</summary>
    public double WarmupRatio { get; set; } = 0.06;
    /// <summary>Gradient clipping by global L2 norm; 0 disables it. Default 1.0.</summary>
    public double MaxGradNorm { get; set; } = 1.0;
    /// <summary>Batches whose gradients are summed before each optimizer step. Default 1.</summary>
    public int GradientAccumulationSteps { get; set; } = 1;
    /// <summary>Maximum tokens per row including special tokens, capped at the model's and tokenizer's limit. Default 512.</summary>
    public int MaxSequenceLength { get; set; } = 512;
    /// <summary>How over-long rows are shortened; <see cref="TruncationStrategy.DoNotTruncate"/> makes them an error. Default LongestFirst.</summary>
    public TruncationStrategy Truncation { get; set; } = TruncationStrategy.LongestFirst;
    /// <summary>Random seed for shuffling, dropout and new head weights; null = the MLContext's seed.</summary>
    public int? Seed { get; set; }
    /// <summary>Where to train and score. Default Auto (CUDA when available).</summary>
    public ComputeDevice Device { get; set; } = ComputeDevice.Auto;
    /// <summary>Weight/activation precision. Default Float32.</summary>
    public TrainingPrecision Precision { get; set; } = TrainingPrecision.Float32;
    /// <summary>Stop when the validation metric has not improved for this many epochs (needs <see cref="ValidationSet"/>); null = off.</summary>
    public int? EarlyStoppingPatience { get; set; }
    /// <summary>Receives progress reports (epoch, step, loss, learning rate, tokens/s, validation metric, ETA).</summary>
    public IProgress<TrainingProgress>? Progress { get; set; }
    /// <summary>Cancels training (within one batch) with <see cref="OperationCanceledException"/>.</summary>
    public CancellationToken CancellationToken { get; set; }
    /// <summary>Stops training when this much time has passed and keeps what was learned so far; null = no limit.</summary>
    public TimeSpan? TimeBudget { get; set; }
    /// <summary>Rows per batch when scoring in Transform and validating. Default 64.</summary>
    public int ScoringBatchSize { get; set; } = 64;
    /// <summary>Minimum time between step progress reports. Default 10 seconds.</summary>
    public TimeSpan ReportInterval { get; set; } = TimeSpan.FromSeconds(10);

    internal PretrainedTextTrainerOptions Clone() => (PretrainedTextTrainerOptions)MemberwiseClone();

    /// <summary>The options behind every catalog method's simple overload (its named parameters, defaults for the rest).</summary>
    internal static PretrainedTextTrainerOptions FromArguments(string checkpoint, string labelColumnName, string sentence1ColumnName,
        string? sentence2ColumnName, int batchSize, int maxEpochs, double learningRate, IDataView? validationSet) => new()
    {
        Checkpoint = checkpoint, LabelColumnName = labelColumnName, Sentence1ColumnName = sentence1ColumnName,
        Sentence2ColumnName = sentence2ColumnName, BatchSize = batchSize, MaxEpochs = maxEpochs, LearningRate = learningRate,
        ValidationSet = validationSet,
    };
}

/// <summary>Turns a checkpoint argument that is not a local folder (e.g. a Hugging Face Hub id) into a local folder.</summary>
public static class CheckpointResolver
{
    /// <summary>
    /// Called with the checkpoint argument when it is not an existing folder; returns the local folder to use (for example
    /// after downloading it from a private store). Null (default): Hub ids 'org/name[@revision]' are downloaded with
    /// <see cref="Hub.HubClient"/> into the Hugging Face cache; anything else must be an existing folder.
    /// </summary>
    public static Func<string, string>? Resolve { get; set; }

    internal static string ToFolder(string checkpoint, CancellationToken cancellationToken = default)
    {
        if (string.IsNullOrWhiteSpace(checkpoint))
            throw new ArgumentException("checkpoint is empty: pass a local Hugging Face checkpoint folder (config.json, weights and tokenizer files) or a Hub id such as 'microsoft/deberta-v3-small'.", nameof(checkpoint));
        if (Directory.Exists(checkpoint)) return Path.GetFullPath(checkpoint);
        if (Resolve is { } resolve)
        {
            var folder = resolve(checkpoint);
            if (Directory.Exists(folder)) return Path.GetFullPath(folder);
            throw new DirectoryNotFoundException($"CheckpointResolver.Resolve turned '{checkpoint}' into '{folder}', which is not a folder.");
        }
        // The library's one resolver: Hub ids go through the shared Hugging Face cache; anything else must be a folder.
        return Hub.CheckpointFolders.Resolve(checkpoint, progress: null, cancellationToken);
    }
}
