using Microsoft.ML.ConvDeberta.Models.Deberta.Heads;
using Microsoft.ML.ConvDeberta.Models.Heads;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// What DeBERTa (v1) and DeBERTa-v2/v3 share as families: the encoder under "deberta." in task models, the same six
/// heads (the DeBERTa heads in <c>Deberta/Heads</c> plus the shared token-classification and QA heads), Hugging Face's
/// class names <c>{prefix}Model</c> / <c>{prefix}For…</c>, DeBERTa's <c>_init_weights</c> and the legacy key spellings.
/// A family supplies its config type and its encoder.
/// </summary>
internal abstract class DebertaFamilyBase : IModelFamily
{
    /// <param name="classPrefix">Hugging Face's class-name prefix: "Deberta" or "DebertaV2".</param>
    protected DebertaFamilyBase(string classPrefix)
    {
        HeadsByClassName = new Dictionary<string, TaskHead>(StringComparer.Ordinal)
        {
            [classPrefix + "Model"] = TaskHead.Base,
            [classPrefix + "ForMaskedLM"] = TaskHead.MaskedLM,
            [classPrefix + "ForSequenceClassification"] = TaskHead.SequenceClassification,
            [classPrefix + "ForTokenClassification"] = TaskHead.TokenClassification,
            [classPrefix + "ForQuestionAnswering"] = TaskHead.QuestionAnswering,
            [classPrefix + "ForMultipleChoice"] = TaskHead.MultipleChoice,
        };
    }

    public abstract string ModelType { get; }

    public abstract Type ConfigType { get; }

    public string BasePrefix => "deberta";

    public IReadOnlyDictionary<string, TaskHead> HeadsByClassName { get; }

    /// <summary>The family's bare encoder (Hugging Face <c>DebertaModel</c> / <c>DebertaV2Model</c>) for a validated config of <see cref="ConfigType"/>.</summary>
    protected abstract TransformerEncoder CreateEncoder(PretrainedConfig config);

    public TaskModel Create(PretrainedConfig config, TaskHead head)
    {
        if (!ConfigType.IsInstanceOfType(config))
            throw new ArgumentException(
                $"The {ModelType} family needs a {ConfigType.Name} (model_type \"{ModelType}\"); got {config.GetType().Name} (model_type \"{config.ModelType}\").", nameof(config));
        config.Validate();
        var encoder = CreateEncoder(config);
        TaskModel model = head switch
        {
            TaskHead.Base => new BaseModel(this, encoder),
            TaskHead.MaskedLM => new DebertaMaskedLMModel(this, encoder),
            TaskHead.SequenceClassification => new DebertaSequenceClassificationModel(this, encoder),
            TaskHead.TokenClassification => new TokenClassificationModel(this, encoder, config.HiddenDropoutProb),
            TaskHead.QuestionAnswering => new QuestionAnsweringModel(this, encoder),
            TaskHead.MultipleChoice => new DebertaMultipleChoiceModel(this, encoder),
            _ => throw new ArgumentOutOfRangeException(nameof(head), head, "Unknown task head."),
        };
        InitializeWeights(model);
        return model;
    }

    /// <summary>Hugging Face's DeBERTa <c>_init_weights</c> (<see cref="DebertaWeightInit"/>), for every head.</summary>
    public virtual void InitializeWeights(TaskModel model, IEnumerable<string>? onlyKeys = null) => DebertaWeightInit.Apply(model, onlyKeys);

    /// <summary>
    /// Old checkpoints spell LayerNorm parameters <c>gamma</c>/<c>beta</c> (renamed as Hugging Face does) and may carry the
    /// non-persistent <c>embeddings.position_ids</c> buffer (ignored).
    /// </summary>
    public string? MapLegacyKey(string key)
    {
        if (key.EndsWith("embeddings.position_ids", StringComparison.Ordinal)) return null;
        if (key.EndsWith(".gamma", StringComparison.Ordinal)) return key[..^".gamma".Length] + ".weight";
        if (key.EndsWith(".beta", StringComparison.Ordinal)) return key[..^".beta".Length] + ".bias";
        return key;
    }
}
