namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// DeBERTa (v1), <c>model_type: "deberta"</c>: the Hugging Face classes <c>DebertaModel</c>, <c>DebertaForMaskedLM</c>,
/// <c>DebertaForSequenceClassification</c>, <c>DebertaForTokenClassification</c>, <c>DebertaForQuestionAnswering</c>, and
/// <c>DebertaForMultipleChoice</c>, which transformers lacks for v1: it is built like <c>DebertaV2ForMultipleChoice</c>
/// (ContextPooler on position 0 + a one-output classifier), see <see cref="Heads.DebertaMultipleChoiceModel"/>.
/// </summary>
internal sealed class DebertaFamily : DebertaFamilyBase
{
    public DebertaFamily() : base("Deberta") { }

    public override string ModelType => "deberta";

    public override Type ConfigType => typeof(DebertaConfig);

    protected override TransformerEncoder CreateEncoder(PretrainedConfig config)
    {
        var v1 = (DebertaConfig)config;
        return new DebertaModel(v1, new DebertaEmbeddings(v1, v1.EffectiveEmbeddingSize, v1.PositionBiasedInput), new DebertaEncoder(v1));
    }
}
