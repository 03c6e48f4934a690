using Microsoft.ML.ConvDeberta.Models.Deberta;
using Microsoft.ML.ConvDeberta.Models.Deberta.Heads;
using TorchSharp.Modules;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// DeBERTa-v2 and DeBERTa-v3 (<c>model_type: "deberta-v2"</c>): Hugging Face's <c>DebertaV2Model</c> and
/// <c>DebertaV2For…</c> classes, the encoder under "deberta." in task models.
/// </summary>
internal sealed class DebertaV2Family : DebertaFamilyBase
{
    public DebertaV2Family() : base("DebertaV2") { }

    public override string ModelType => "deberta-v2";

    public override Type ConfigType => typeof(DebertaV2Config);

    protected override TransformerEncoder CreateEncoder(PretrainedConfig config)
    {
        var v2 = (DebertaV2Config)config;
        return new DebertaModel(v2, new DebertaEmbeddings(v2, v2.EffectiveEmbeddingSize, v2.PositionBiasedInput), new DebertaV2Encoder(v2));
    }

    /// <summary>
    /// Hugging Face's DeBERTa <c>_init_weights</c> (<see cref="DebertaWeightInit"/>), for every head, except that
    /// nn.Conv1d (the nGiE conv) keeps PyTorch's default initialisation, as in Hugging Face.
    /// </summary>
    public override void InitializeWeights(TaskModel model, IEnumerable<string>? onlyKeys = null)
    {
        var convKeys = model.named_modules().Where(m => m.module is Conv1d)
            .SelectMany(m => m.module.named_parameters().Select(p => m.name + "." + p.name)).ToHashSet(StringComparer.Ordinal);
        DebertaWeightInit.Apply(model, (onlyKeys ?? model.state_dict().Keys).Where(k => !convKeys.Contains(k)));
    }
}
