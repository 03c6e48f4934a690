using Microsoft.ML.ConvDeberta.MLNet.Data;
using Microsoft.ML.ConvDeberta.MLNet.Interop;
using Microsoft.ML.ConvDeberta.MLNet.Schema;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tokenization;
using Microsoft.ML.ConvDeberta.Training;
using Microsoft.ML.ConvDeberta.Training.Tasks;
using Microsoft.ML.Runtime;
using TorchSharp;

namespace Microsoft.ML.ConvDeberta.MLNet;

/// <summary>
/// Fine-tunes a ConvBERT / DeBERTa / DeBERTa-v2 checkpoint for binary classification, multiclass classification or
/// regression of a text (or text pair) column. Created by the <c>ConvBert</c>, <c>Deberta</c> and <c>DebertaV2</c>
/// extension methods on <c>mlContext.BinaryClassification.Trainers</c>, <c>MulticlassClassification.Trainers</c> and
/// <c>Regression.Trainers</c>; <see cref="Fit"/> trains and returns a <see cref="PretrainedTextTransformer"/>.
/// </summary>
public sealed class PretrainedTextTrainer : IEstimator<PretrainedTextTransformer>
{
    private readonly IHostEnvironment environment;
    private readonly PredictionKind kind;
    private readonly string modelType;
    private readonly string methodName;
    private readonly PretrainedTextTrainerOptions options;

    internal PretrainedTextTrainer(IHostEnvironment environment, PredictionKind kind, string modelType, string methodName, PretrainedTextTrainerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        this.environment = environment;
        this.kind = kind;
        this.modelType = modelType;
        this.methodName = methodName;
        this.options = options.Clone();
        TrainerOptionsCheck.Validate(this.options);
        LoaderAssembly.EnsureInstalled();
    }

    /// <summary>The input schema plus the prediction columns; throws naming a missing or mistyped text or label column.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        ColumnChecks.Text(inputSchema, options.Sentence1ColumnName);
        if (options.Sentence2ColumnName is { } second) ColumnChecks.Text(inputSchema, second);
        ColumnChecks.Label(inputSchema, options.LabelColumnName, kind);
        return OutputColumns.Append(inputSchema, kind);
    }

    /// <summary>Loads the checkpoint, fine-tunes it on <paramref name="input"/> and returns the trained model.</summary>
    public PretrainedTextTransformer Fit(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        var host = environment.Register("PretrainedTextTrainer");
        using var channel = host.Start("Fine-tuning");
        void Log(string message) => channel.Info(MessageSensitivity.None, message);
        bool IsCanceled() => MLNetInternals.IsCanceled(environment) || options.CancellationToken.IsCancellationRequested;

        // 1. Columns (before touching the checkpoint, so schema errors come first).
        var label = ColumnChecks.Label(input.Schema, options.LabelColumnName, kind);
        ColumnChecks.Text(input.Schema, options.Sentence1ColumnName);
        if (options.Sentence2ColumnName is { } s2) ColumnChecks.Text(input.Schema, s2);
        if (options.ValidationSet is { } validationView)
        {
            ColumnChecks.Label(validationView.Schema, options.LabelColumnName, kind);
            ColumnChecks.Text(validationView.Schema, options.Sentence1ColumnName);
            if (options.Sentence2ColumnName is { } v2) ColumnChecks.Text(validationView.Schema, v2);
        }
        var classNames = kind switch
        {
            PredictionKind.Binary => ["False", "True"],
            PredictionKind.Multiclass => LabeledTexts.ClassNames(label),
            _ => Array.Empty<string>(),
        };
        if (kind == PredictionKind.Multiclass && classNames.Length < 2)
            throw new InvalidOperationException($"Label column '{options.LabelColumnName}' has {classNames.Length} class(es); multiclass classification needs at least two.");

        // 2. Checkpoint: right architecture, files present.
        var folder = CheckpointResolver.ToFolder(options.Checkpoint, options.CancellationToken);
        var config = ModelConfigs.Load(folder);
        if (config.ModelType != modelType)
            throw new InvalidOperationException(
                $"Checkpoint '{options.Checkpoint}' is a '{config.ModelType}' model (config.json model_type), but {methodName} needs a '{modelType}' checkpoint. " +
                $"Use the {FamilyMethod(config.ModelType)} trainer for this checkpoint, or pass a {modelType} checkpoint.");
        var tokenizer = TransformerTokenizer.FromPretrained(folder);
        int maxLength = Math.Min(options.MaxSequenceLength, Math.Min(tokenizer.ModelMaxLength, config.MaxPositionEmbeddings));
        var spec = new TextModelSpec(kind, modelType, options.Sentence1ColumnName, options.Sentence2ColumnName, options.LabelColumnName,
            classNames, maxLength, options.Truncation, options.ScoringBatchSize, options.Device, options.Precision);

        // 3. Data: read, check labels, tokenize once.
        var train = LabeledTexts.Read(input, spec, "training", IsCanceled);
        if (train.Count == 0) throw new InvalidOperationException("The training data has no rows.");
        CheckClasses(train, spec);
        var validation = options.ValidationSet is { } v ? LabeledTexts.Read(v, spec, "validation", IsCanceled) : null;
        var encoder = new Scoring.TextEncoder(tokenizer, maxLength, options.Truncation);
        var trainSet = Encode(encoder, train, "training", Log);
        var validationSet = validation is null ? null : Encode(encoder, validation, "validation", Log);

        // 4. Model with a new head, seeded.
        int seed = options.Seed ?? MLNetInternals.GetSeed(environment) ?? host.Rand.Next();
        torch.random.manual_seed(seed);
        var (model, report) = PretrainedModels.Load(folder, WithHead(config, spec), TaskHead.SequenceClassification, replaceMismatchedHead: true);
        Log($"Loaded '{folder}' ({config.ModelType}): {report}");
        var transformer = PretrainedTextTransformer.FromModel(spec, model, tokenizer, report.StorageDType ?? torch.ScalarType.Float32);
        try
        {
            var task = new SequenceClassificationTask(tokenizer, trainSet, validationSet, model.Encoder.Config.TypeVocabSize > 0, kind == PredictionKind.Regression);
            var settings = new TrainingSettings
            {
                Epochs = options.MaxEpochs, BatchSize = options.BatchSize, LearningRate = options.LearningRate, WeightDecay = options.WeightDecay,
                WarmupRatio = options.WarmupRatio, MaxGradNorm = options.MaxGradNorm, GradientAccumulationSteps = options.GradientAccumulationSteps,
                EarlyStoppingPatience = options.EarlyStoppingPatience, Seed = seed, Device = transformer.Scorer.Device,
                EvaluationBatchSize = options.ScoringBatchSize, CancellationToken = options.CancellationToken, TimeBudget = options.TimeBudget,
                IsCanceled = IsCanceled, Log = Log, Progress = options.Progress, ReportInterval = options.ReportInterval,
            };
            var result = TrainingLoop.Run(model, task, settings);
            LastResult = result;
            Log($"Fine-tuning done: {result.EpochsRun} epoch(s), {result.Steps} steps, {result.TokensPerSecond:F0} tokens/s" +
                (result.BestValidationMetric is { } best ? $", best validation {task.CreateMetric().Name} {best:F4} (epoch {result.BestEpoch})" : "") + ".");
            return transformer;
        }
        catch
        {
            transformer.Dispose();
            throw;
        }
    }

    /// <summary>What the last <see cref="Fit"/> did (epochs, steps, best metric, tokens/s); for tests and benchmarks.</summary>
    internal TrainingResult? LastResult { get; private set; }

    private static PretrainedConfig WithHead(PretrainedConfig config, TextModelSpec spec) => spec.Kind == PredictionKind.Regression
        ? config.WithLabels(1) with { ProblemType = "regression" }
        : config.WithLabels(spec.NumLabels, spec.ClassNames) with { ProblemType = "single_label_classification" };

    private static EncodedExamples Encode(Scoring.TextEncoder encoder, LabeledTexts texts, string what, Action<string> log)
    {
        var (encodings, truncated) = encoder.Encode(texts.Sentence1, texts.Sentence2, what);
        if (truncated > 0) log($"{truncated} of {texts.Count} {what} rows were longer than {encoder.MaxLength} tokens and were truncated.");
        return new EncodedExamples(encodings, texts.ClassIds, texts.Targets);
    }

    private void CheckClasses(LabeledTexts train, TextModelSpec spec)
    {
        if (spec.Kind == PredictionKind.Regression) return;
        int distinct = train.ClassIds!.Distinct().Count();
        if (distinct < 2)
            throw new InvalidOperationException(
                $"The training data has only {distinct} distinct value(s) in label column '{spec.LabelColumn}'; classification needs at least two classes.");
    }

    private static string FamilyMethod(string type) => type switch
    {
        "convbert" => "ConvBert",
        "deberta" => "Deberta",
        "deberta-v2" => "DebertaV2",
        _ => $"(none: '{type}' is not supported by these trainers)",
    };
}

/// <summary>Checks option values up front with messages naming the option.</summary>
internal static class TrainerOptionsCheck
{
    public static void Validate(PretrainedTextTrainerOptions o)
    {
        if (string.IsNullOrWhiteSpace(o.Checkpoint)) throw new ArgumentException("Checkpoint is empty: pass a local Hugging Face checkpoint folder.", "checkpoint");
        if (string.IsNullOrWhiteSpace(o.Sentence1ColumnName)) throw new ArgumentException("Sentence1ColumnName must name a String column.", "sentence1ColumnName");
        if (string.IsNullOrWhiteSpace(o.LabelColumnName)) throw new ArgumentException("LabelColumnName must name the label column.", "labelColumnName");
        Positive(o.BatchSize, "batchSize"); Positive(o.MaxEpochs, "maxEpochs"); Positive(o.GradientAccumulationSteps, "GradientAccumulationSteps");
        Positive(o.MaxSequenceLength, "MaxSequenceLength"); Positive(o.ScoringBatchSize, "ScoringBatchSize");
        if (!(o.LearningRate > 0) || !double.IsFinite(o.LearningRate)) throw new ArgumentOutOfRangeException("learningRate", o.LearningRate, "learningRate must be a positive number (typical: 1e-5 to 5e-5).");
        if (o.WeightDecay < 0) throw new ArgumentOutOfRangeException(nameof(o.WeightDecay), o.WeightDecay, "WeightDecay must not be negative.");
        if (o.WarmupRatio is < 0 or > 1) throw new ArgumentOutOfRangeException(nameof(o.WarmupRatio), o.WarmupRatio, "WarmupRatio must be between 0 and 1.");
        if (o.MaxGradNorm < 0) throw new ArgumentOutOfRangeException(nameof(o.MaxGradNorm), o.MaxGradNorm, "MaxGradNorm must not be negative (0 disables clipping).");
        if (o.EarlyStoppingPatience is < 1) throw new ArgumentOutOfRangeException(nameof(o.EarlyStoppingPatience), o.EarlyStoppingPatience, "EarlyStoppingPatience must be at least 1 (or null to disable).");
    }

    private static void Positive(int value, string name)
    {
        if (value < 1) throw new ArgumentOutOfRangeException(name, value, $"{name} must be at least 1.");
    }
}
