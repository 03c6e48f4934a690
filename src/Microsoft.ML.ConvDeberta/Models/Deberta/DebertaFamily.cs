using Microsoft.ML.ConvDeberta.Models.Deberta.Heads;
using Microsoft.ML.ConvDeberta.Models.Heads;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// DeBERTa (v1), <c>model_type: "deberta"</c>: the Hugging Face classes <c>DebertaModel</c>, <c>DebertaForMaskedLM</c>,
/// <c>DebertaForSequenceClassification</c>, <c>DebertaForTokenClassification</c>, <c>DebertaForQuestionAnswering</c>, and
/// <c>DebertaForMultipleChoice</c>, which transformers lacks for v1: it is built like <c>DebertaV2ForMultipleChoice</c>
/// (ContextPooler on position 0 + a one-output classifier), see <see cref="DebertaMultipleChoiceModel"/>.
/// </summary>
internal sealed class DebertaFamily : IModelFamily
{
    public string ModelType => "deberta";

    public Type ConfigType => typeof(DebertaConfig);

    public string BasePrefix => "deberta";

    public IReadOnlyDictionary<string, TaskHead> HeadsByClassName { get; } = new Dictionary<string, TaskHead>
    {
        ["DebertaModel"] = TaskHead.Base,
        ["DebertaForMaskedLM"] = TaskHead.MaskedLM,
        ["DebertaForSequenceClassification"] = TaskHead.SequenceClassification,
        ["DebertaForTokenClassification"] = TaskHead.TokenClassification,
        ["DebertaForQuestionAnswering"] = TaskHead.QuestionAnswering,
        ["DebertaForMultipleChoice"] = TaskHead.MultipleChoice,
    };

    public TaskModel Create(PretrainedConfig config, TaskHead head)
    {
        if (config is not DebertaConfig deberta)
            throw new ArgumentException($"The deberta family needs a {nameof(DebertaConfig)} (got {config.GetType().Name}, model_type '{config.ModelType}').", nameof(config));
        var encoder = new DebertaModel(deberta);
        TaskModel model = head switch
        {
            TaskHead.Base => new BaseModel(this, encoder),
            TaskHead.MaskedLM => new DebertaMaskedLMModel(this, encoder),
            TaskHead.SequenceClassification => new DebertaSequenceClassificationModel(this, encoder),
            TaskHead.TokenClassification => new TokenClassificationModel(this, encoder, deberta.HiddenDropoutProb),
            TaskHead.QuestionAnswering => new QuestionAnsweringModel(this, encoder),
            TaskHead.MultipleChoice => new DebertaMultipleChoiceModel(this, encoder),
            _ => throw new ArgumentOutOfRangeException(nameof(head), head, "Unknown task head."),
        };
        InitializeWeights(model);
        return model;
    }

    /// <summary>Hugging Face's DeBERTa <c>_init_weights</c> (<see cref="DebertaWeightInit"/>), for every head.</summary>
    public void InitializeWeights(TaskModel model, IEnumerable<string>? onlyKeys = null) => DebertaWeightInit.Apply(model, onlyKeys);

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
