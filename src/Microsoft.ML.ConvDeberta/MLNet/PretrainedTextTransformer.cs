using Microsoft.ML.ConvDeberta.MLNet.Interop;
using Microsoft.ML.ConvDeberta.MLNet.Persistence;
using Microsoft.ML.ConvDeberta.MLNet.Schema;
using Microsoft.ML.ConvDeberta.MLNet.Scoring;
using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tokenization;
using Microsoft.ML.ConvDeberta.Training;
using Microsoft.ML.Data;
using Microsoft.ML.Runtime;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.MLNet;

/// <summary>
/// A fine-tuned ConvBERT / DeBERTa / DeBERTa-v2 text model in an ML.NET pipeline. Adds the standard prediction columns
/// (binary: Score, Probability, PredictedLabel; multiclass: Score, PredictedLabel; regression: Score), scores rows in
/// batches without gradients, saves with <c>mlContext.Model.Save</c> and loads with <c>mlContext.Model.Load</c> in any
/// process. Missing or empty text is scored as an empty string (the special tokens alone).
/// Owns native (libtorch) memory: dispose it, or the model chain that contains it, when done.
/// </summary>
public sealed class PretrainedTextTransformer : ITransformer, IDisposable
{
    internal const string LoaderSignature = "ConvDebertaTextModel";
    private const string ModelSignature = "CDTXTMDL";
    private const uint FormatVersion = 0x00010001;

    private readonly ScalarType storageType;

    internal PretrainedTextTransformer(TextModelSpec spec, TextScorer scorer, ScalarType storageType)
    {
        Spec = spec;
        Scorer = scorer;
        this.storageType = storageType;
    }

    internal TextModelSpec Spec { get; }
    internal TextScorer Scorer { get; }

    /// <summary>Class names in score order (multiclass: the label's key values; binary: False, True; regression: empty).</summary>
    public IReadOnlyList<string> ClassNames => Spec.Kind == PredictionKind.Regression ? [] : Spec.ClassNames;

    /// <summary>Always true: the model can score single rows (prediction engines).</summary>
    public bool IsRowToRowMapper => true;

    /// <summary>The input schema plus the prediction columns; throws when a text column is missing or not String.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        _ = TextColumns(inputSchema);
        return OutputColumns.Append(inputSchema, Spec.Kind, Spec.ClassNames);
    }

    /// <summary>Adds the prediction columns to <paramref name="input"/> (lazily; rows are scored in batches when read).</summary>
    public IDataView Transform(IDataView input)
    {
        ArgumentNullException.ThrowIfNull(input);
        return new ScoredDataView(input, this);
    }

    /// <summary>A row-to-row mapper for prediction engines.</summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        ArgumentNullException.ThrowIfNull(inputSchema);
        return new ScoringRowMapper(this, inputSchema);
    }

    /// <summary>
    /// Writes the fine-tuned model as a Hugging Face checkpoint folder: config.json (architecture with this task's
    /// head, id2label/label2id, problem_type), model.safetensors (in the original checkpoint's storage dtype) and the
    /// tokenizer files. The folder loads in Python with <c>AutoModelForSequenceClassification.from_pretrained</c> and can
    /// be the <c>checkpoint</c> of another fine-tuning run here (intermediate-task training: a head with the same number
    /// of outputs is kept, otherwise a new one is created). Existing files of the same names are overwritten.
    /// </summary>
    /// <param name="folder">The folder to write; created if needed.</param>
    public void SaveAsCheckpoint(string folder)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(folder);
        Directory.CreateDirectory(folder);
        Scorer.WithModel(model => ModelPackage.WriteFolder(folder, model, Scorer.Encoder.Tokenizer, storageType));
    }

    /// <summary>Frees the model's native memory. Scoring afterwards throws <see cref="ObjectDisposedException"/>.</summary>
    public void Dispose() => Scorer.Dispose();

    internal IReadOnlyList<DataViewSchema.Column> TextColumns(DataViewSchema schema)
    {
        var first = ColumnChecks.Text(schema, Spec.Sentence1Column);
        return Spec.Sentence2Column is { } second ? [first, ColumnChecks.Text(schema, second)] : [first];
    }

    internal (string[] Sentence1, string[]? Sentence2) ReadTexts(DataViewRowCursor cursor, int maxRows)
    {
        var columns = TextColumns(cursor.Schema);
        var get1 = cursor.GetGetter<ReadOnlyMemory<char>>(columns[0]);
        var get2 = columns.Count > 1 ? cursor.GetGetter<ReadOnlyMemory<char>>(columns[1]) : null;
        var s1 = new List<string>(); var s2 = get2 is null ? null : new List<string>();
        ReadOnlyMemory<char> value = default;
        while (s1.Count < maxRows && cursor.MoveNext())
        {
            get1(ref value); s1.Add(value.ToString());
            if (get2 != null) { get2(ref value); s2!.Add(value.ToString()); }
        }
        return ([.. s1], s2?.ToArray());
    }

    internal (string Sentence1, string? Sentence2) ReadTexts(DataViewRow row)
    {
        var columns = TextColumns(row.Schema);
        ReadOnlyMemory<char> value = default;
        row.GetGetter<ReadOnlyMemory<char>>(columns[0])(ref value);
        var s1 = value.ToString();
        if (columns.Count == 1) return (s1, null);
        row.GetGetter<ReadOnlyMemory<char>>(columns[1])(ref value);
        return (s1, value.ToString());
    }

    internal Prediction[] Predict(IReadOnlyList<string> sentence1, IReadOnlyList<string>? sentence2) =>
        Scorer.Score(sentence1, sentence2).Select(l => Prediction.From(l, Spec.Kind)).ToArray();

    // Saved as the chain [bootstrap custom mapping, this model] so a fresh process can load it without registration.
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        LoaderAssembly.EnsureInstalled();
        ICanSaveModel chain = new TransformerChain<ITransformer>(LoaderBootstrap.CreateTransformer(), new Payload(this));
        chain.Save(ctx);
    }

    private void SavePayload(ModelSaveContext context)
    {
        var ctx = new SaveContext(context);
        ctx.WriteHeader(ModelSignature, FormatVersion, LoaderSignature, LoaderAssembly.FullName);
        var writer = ctx.Writer;
        Spec.WriteTo(writer);
        writer.Write((int)storageType);
        var folder = Path.Combine(Path.GetTempPath(), "convdeberta-save-" + Guid.NewGuid().ToString("N"));
        try
        {
            Scorer.WithModel(model => ModelPackage.WriteFolder(folder, model, Scorer.Encoder.Tokenizer, storageType));
            ModelPackage.Store(folder, ctx.SaveBinaryStream, writer);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Called by the generated loader (see <see cref="LoaderAssembly"/>) with ML.NET's ModelLoadContext.</summary>
    internal static PretrainedTextTransformer LoadFrom(IHostEnvironment env, object context)
    {
        var ctx = new LoadContext(context);
        ctx.CheckHeader(ModelSignature, FormatVersion, LoaderSignature, LoaderAssembly.FullName);
        var reader = ctx.Reader;
        var spec = TextModelSpec.ReadFrom(reader);
        var storage = (ScalarType)reader.ReadInt32();
        var folder = Path.Combine(Path.GetTempPath(), "convdeberta-load-" + Guid.NewGuid().ToString("N"));
        try
        {
            ModelPackage.Restore(folder, ctx.TryLoadBinaryStream, reader);
            return Create(spec, folder, TaskHead.SequenceClassification, storage, configOverride: null);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    /// <summary>Loads model and tokenizer from a folder and puts the model on the spec's device and precision.</summary>
    internal static PretrainedTextTransformer Create(TextModelSpec spec, string folder, TaskHead head, ScalarType storageType,
        Func<PretrainedConfig, PretrainedConfig>? configOverride)
    {
        var tokenizer = TransformerTokenizer.FromPretrained(folder);
        var (model, _) = PretrainedModels.Load(folder, head, configOverride);
        return FromModel(spec, model, tokenizer, storageType);
    }

    internal static PretrainedTextTransformer FromModel(TextModelSpec spec, TaskModel model, TransformerTokenizer tokenizer, ScalarType storageType)
    {
        var device = DeviceSelection.Resolve(spec.Device);
        model.to(device);
        if (spec.Precision == TrainingPrecision.BFloat16) model.to(ScalarType.BFloat16);
        var encoder = new TextEncoder(tokenizer, spec.MaxSequenceLength, spec.Truncation);
        return new PretrainedTextTransformer(spec, new TextScorer(model, encoder, device, spec.ScoringBatchSize), storageType);
    }

    /// <summary>The object actually written into the model: this transformer's payload (weights, config, tokenizer).</summary>
    private sealed class Payload(PretrainedTextTransformer owner) : ITransformer
    {
        public bool IsRowToRowMapper => true;
        public DataViewSchema GetOutputSchema(DataViewSchema inputSchema) => owner.GetOutputSchema(inputSchema);
        public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema) => owner.GetRowToRowMapper(inputSchema);
        public IDataView Transform(IDataView input) => owner.Transform(input);
        void ICanSaveModel.Save(ModelSaveContext ctx) => owner.SavePayload(ctx);
    }
}
