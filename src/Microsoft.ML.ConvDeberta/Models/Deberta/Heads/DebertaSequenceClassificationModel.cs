using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>
/// <c>DebertaForSequenceClassification</c> / <c>DebertaV2ForSequenceClassification</c>: ContextPooler (<c>pooler.dense</c>
/// on the first token) → dropout (cls_dropout) → <c>classifier</c>. The loss follows DeBERTa's own rules
/// (<see cref="Losses.DebertaSequenceClassification"/>): with problem_type null, one label → MSE, negative labels
/// dropped, 2-D float labels → soft cross-entropy. Works over any DeBERTa-style <see cref="TransformerEncoder"/>.
/// </summary>
internal sealed class DebertaSequenceClassificationModel : EncoderTaskModel
{
    private readonly ContextPooler pooler;
    private readonly Dropout dropout;
    private readonly Linear classifier;

    public DebertaSequenceClassificationModel(IModelFamily family, TransformerEncoder encoder) : base(family, encoder, "sequence-classification")
    {
        pooler = DebertaPooling.CreatePooler(encoder);
        dropout = nn.Dropout(DebertaHeadConfig.ClassifierDropout(encoder));
        classifier = nn.Linear(encoder.Config.HiddenSize, encoder.Config.NumLabels);
        register_module("pooler", pooler);
        register_module("dropout", dropout);
        register_module("classifier", classifier);
    }

    public override TaskHead Head => TaskHead.SequenceClassification;

    public override ModelOutput forward(ModelInputs inputs)
    {
        var config = Encoder.Config;
        var encoded = Encoder.forward(inputs);
        using var pooled = pooler.forward(encoded.LastHiddenState);                  // (b, pooler)
        var logits = classifier.forward(dropout.forward(pooled));                   // (b, labels)
        if (inputs.Labels is null) return new ModelOutput { Logits = logits, Encoder = encoded };
        var loss = Losses.DebertaSequenceClassification(logits, inputs.Labels, config.NumLabels, config.ProblemType);
        // Hugging Face returns the flattened, label-typed logits in this one case (problem_type null, one label).
        if (config.ProblemType is null && config.NumLabels == 1) logits = logits.view(-1).to(inputs.Labels.dtype);
        return new ModelOutput { Logits = logits, Loss = loss, Encoder = encoded };
    }
}
