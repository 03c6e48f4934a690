using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>
/// <c>DebertaForMaskedLM</c> / <c>DebertaV2ForMaskedLM</c>. The config's <c>legacy</c> flag picks the head, as in
/// Hugging Face: true (default) = BERT-style <c>cls.predictions.*</c> with the decoder tied to the word embeddings
/// (<see cref="LegacyMaskedLMHead"/>); false = DeBERTa's original <c>lm_predictions.lm_head.*</c>
/// (<see cref="MaskedLMHead"/>). The loss is cross-entropy over positions whose label is not -100.
/// </summary>
internal sealed class DebertaMaskedLMModel : EncoderTaskModel
{
    private readonly LegacyMaskedLMHead? legacyHead;
    private readonly MaskedLMHead? head;
    private readonly Dictionary<string, string> tied = new(StringComparer.Ordinal);

    public DebertaMaskedLMModel(IModelFamily family, TransformerEncoder encoder) : base(family, encoder, "masked-lm")
    {
        if (DebertaHeadConfig.Of(encoder).Legacy)
        {
            legacyHead = new LegacyMaskedLMHead(encoder);
            register_module("cls", legacyHead);
            tied["cls.predictions.decoder.weight"] = family.BasePrefix + ".embeddings.word_embeddings.weight";
            tied["cls.predictions.decoder.bias"] = "cls.predictions.bias";
        }
        else
        {
            head = new MaskedLMHead(encoder);
            register_module("lm_predictions", head);
        }
    }

    public override TaskHead Head => TaskHead.MaskedLM;
    public override IReadOnlyDictionary<string, string> TiedWeights => tied;

    public override ModelOutput forward(ModelInputs inputs)
    {
        var encoded = Encoder.forward(inputs);
        var logits = legacyHead is not null
            ? legacyHead.forward(encoded.LastHiddenState)                           // (b, l, vocab)
            : head!.forward(encoded.LastHiddenState);                               // (b, l, vocab)
        var loss = inputs.Labels is null ? null : Losses.CrossEntropy(logits.view(-1, logits.size(-1)), inputs.Labels.view(-1));
        return new ModelOutput { Logits = logits, Loss = loss, Encoder = encoded };
    }
}
