using Microsoft.ML.ConvDeberta.Models.Heads;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// The ConvBERT family (<c>model_type: "convbert"</c>): Hugging Face class names → heads, model construction with
/// Hugging Face initialisation, and the legacy key spellings of old checkpoints.
/// </summary>
internal sealed class ConvBertFamily : IModelFamily
{
    public string ModelType => "convbert";
    public Type ConfigType => typeof(ConvBertConfig);
    public string BasePrefix => "convbert";

    public IReadOnlyDictionary<string, TaskHead> HeadsByClassName { get; } = new Dictionary<string, TaskHead>
    {
        ["ConvBertModel"] = TaskHead.Base,
        ["ConvBertForMaskedLM"] = TaskHead.MaskedLM,
        ["ConvBertForSequenceClassification"] = TaskHead.SequenceClassification,
        ["ConvBertForTokenClassification"] = TaskHead.TokenClassification,
        ["ConvBertForQuestionAnswering"] = TaskHead.QuestionAnswering,
        ["ConvBertForMultipleChoice"] = TaskHead.MultipleChoice,
    };

    public TaskModel Create(PretrainedConfig config, TaskHead head)
    {
        if (config is not ConvBertConfig convBertConfig)
            throw new ArgumentException($"A ConvBERT model needs a ConvBertConfig (model_type \"convbert\"); got {config.GetType().Name} (model_type \"{config.ModelType}\").", nameof(config));
        var encoder = new ConvBertModel(convBertConfig);
        TaskModel model = head switch
        {
            TaskHead.Base => new BaseModel(this, encoder),
            TaskHead.MaskedLM => new ConvBertForMaskedLM(this, encoder),
            TaskHead.SequenceClassification => new ConvBertForSequenceClassification(this, encoder),
            TaskHead.TokenClassification => new TokenClassificationModel(this, encoder, config.EffectiveClassifierDropout),
            TaskHead.QuestionAnswering => new QuestionAnsweringModel(this, encoder),
            TaskHead.MultipleChoice => new ConvBertForMultipleChoice(this, encoder),
            _ => throw new ArgumentOutOfRangeException(nameof(head), head, "ConvBERT has no such head."),
        };
        InitializeWeights(model);
        return model;
    }

    /// <summary>ConvBERT's <c>_init_weights</c> (<see cref="ConvBertWeightInit"/>), also for the shared heads, whose default knows Linear/Embedding/LayerNorm only.</summary>
    public void InitializeWeights(TaskModel model, IEnumerable<string>? onlyKeys = null) => ConvBertWeightInit.Apply(model, model.Encoder, onlyKeys);

    /// <summary>
    /// TF-era LayerNorm names (<c>gamma</c>/<c>beta</c>) become <c>weight</c>/<c>bias</c>; the <c>embeddings.position_ids</c>
    /// buffer older checkpoints carry is ignored (it is recomputed).
    /// </summary>
    public string? MapLegacyKey(string key)
    {
        if (key == "embeddings.position_ids" || key.EndsWith(".embeddings.position_ids", StringComparison.Ordinal)) return null;
        if (key.EndsWith(".gamma", StringComparison.Ordinal)) return key[..^".gamma".Length] + ".weight";
        if (key.EndsWith(".beta", StringComparison.Ordinal)) return key[..^".beta".Length] + ".bias";
        return key;
    }
}
