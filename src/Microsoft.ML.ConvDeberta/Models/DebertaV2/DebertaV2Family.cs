using Microsoft.ML.ConvDeberta.Models.Deberta.Heads;
using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp.Modules;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// DeBERTa-v2 and DeBERTa-v3 (<c>model_type: "deberta-v2"</c>): the encoder lives under "deberta." in task models,
/// as in Hugging Face's <c>DebertaV2For…</c> classes.
/// </summary>
internal sealed class DebertaV2Family : IModelFamily
{
    private static readonly Dictionary<string, TaskHead> Heads = new(StringComparer.Ordinal)
    {
        ["DebertaV2Model"] = TaskHead.Base,
        ["DebertaV2ForMaskedLM"] = TaskHead.MaskedLM,
        ["DebertaV2ForSequenceClassification"] = TaskHead.SequenceClassification,
        ["DebertaV2ForTokenClassification"] = TaskHead.TokenClassification,
        ["DebertaV2ForQuestionAnswering"] = TaskHead.QuestionAnswering,
        ["DebertaV2ForMultipleChoice"] = TaskHead.MultipleChoice,
    };

    public string ModelType => "deberta-v2";
    public Type ConfigType => typeof(DebertaV2Config);
    public IReadOnlyDictionary<string, TaskHead> HeadsByClassName => Heads;
    public string BasePrefix => "deberta";

    public TaskModel Create(PretrainedConfig config, TaskHead head)
    {
        if (config is not DebertaV2Config v2)
            throw new ArgumentException($"DeBERTa-v2 models need a {nameof(DebertaV2Config)} (model_type \"deberta-v2\"); got {config.GetType().Name} (model_type \"{config.ModelType}\").", nameof(config));
        var encoder = new DebertaV2Model(v2);
        TaskModel model = head switch
        {
            TaskHead.Base => new BaseModel(this, encoder),
            TaskHead.MaskedLM => new DebertaMaskedLMModel(this, encoder),
            TaskHead.SequenceClassification => new DebertaSequenceClassificationModel(this, encoder),
            TaskHead.TokenClassification => new TokenClassificationModel(this, encoder, v2.HiddenDropoutProb),
            TaskHead.QuestionAnswering => new QuestionAnsweringModel(this, encoder),
            TaskHead.MultipleChoice => new DebertaMultipleChoiceModel(this, encoder),
            _ => throw new ArgumentOutOfRangeException(nameof(head), head, "Unknown task head."),
        };
        InitializeWeights(model);
        return model;
    }

    /// <summary>
    /// Hugging Face's DeBERTa <c>_init_weights</c> (<see cref="DebertaWeightInit"/>), for every head, except that
    /// nn.Conv1d (the nGiE conv) keeps PyTorch's default initialisation, as in Hugging Face.
    /// </summary>
    public void InitializeWeights(TaskModel model, IEnumerable<string>? onlyKeys = null)
    {
        var convKeys = model.named_modules().Where(m => m.module is Conv1d)
            .SelectMany(m => m.module.named_parameters().Select(p => m.name + "." + p.name)).ToHashSet(StringComparer.Ordinal);
        DebertaWeightInit.Apply(model, (onlyKeys ?? model.state_dict().Keys).Where(k => !convKeys.Contains(k)));
    }

    /// <summary>
    /// Old spellings: LayerNorm <c>gamma</c>/<c>beta</c> → <c>weight</c>/<c>bias</c>; the non-persistent
    /// <c>embeddings.position_ids</c> buffer that older checkpoints carry is ignored.
    /// </summary>
    public string? MapLegacyKey(string key)
    {
        if (key.EndsWith("embeddings.position_ids", StringComparison.Ordinal)) return null;
        if (key.EndsWith("LayerNorm.gamma", StringComparison.Ordinal)) return key[..^"gamma".Length] + "weight";
        if (key.EndsWith("LayerNorm.beta", StringComparison.Ordinal)) return key[..^"beta".Length] + "bias";
        return key;
    }
}
