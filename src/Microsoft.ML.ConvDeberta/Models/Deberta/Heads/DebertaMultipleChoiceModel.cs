using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>
/// <c>DebertaV2ForMultipleChoice</c>, also used for DeBERTa (v1), which has no multiple-choice class in transformers:
/// every (example, choice) row of [B, C, L] inputs is encoded, pooled by ContextPooler (<c>pooler.dense</c> on
/// position 0), dropped out (cls_dropout) and scored by <c>classifier</c> (one output); the C scores of an example
/// are its logits [B, C], trained with cross-entropy.
/// </summary>
internal sealed class DebertaMultipleChoiceModel : EncoderTaskModel
{
    private readonly ContextPooler pooler;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public DebertaMultipleChoiceModel(IModelFamily family, TransformerEncoder encoder) : base(family, encoder, "multiple-choice")
    {
        pooler = DebertaPooling.CreatePooler(encoder);
        dropout = nn.Dropout(DebertaHeadConfig.ClassifierDropout(encoder));
        classifier = nn.Linear(encoder.Config.HiddenSize, 1);
        register_module("pooler", pooler);
        register_module("dropout", dropout);
        register_module("classifier", classifier);
    }

    public override TaskHead Head => TaskHead.MultipleChoice;

    /// <summary>Inputs [B, C, L] (ids, mask, token types, positions); labels [B] = index of the right choice.</summary>
    public override ModelOutput forward(ModelInputs inputs)
    {
        var (rows, choices) = inputs.FlattenChoices(GetType().Name);
        var encoded = Encoder.forward(rows);                                        // (b·c, l, h)
        using var pooled = pooler.forward(encoded.LastHiddenState);                 // (b·c, h)
        using var scores = classifier.forward(dropout.forward(pooled));             // (b·c, 1)
        var logits = scores.view(-1, choices);                                      // (b, c)
        var loss = inputs.Labels is null ? null : Losses.CrossEntropy(logits, inputs.Labels);
        return new ModelOutput { Logits = logits, Loss = loss, Encoder = encoded };
    }
}
