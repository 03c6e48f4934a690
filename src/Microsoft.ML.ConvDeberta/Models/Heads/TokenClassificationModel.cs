using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>
/// <c>XxxForTokenClassification</c>, identical in every family: dropout → <c>classifier</c> on every position;
/// cross-entropy over positions whose label is not -100.
/// </summary>
internal sealed class TokenClassificationModel : EncoderTaskModel
{
    private readonly Dropout dropout;
    private readonly Linear classifier;
    private readonly int numLabels;

    public TokenClassificationModel(IModelFamily family, TransformerEncoder encoder, double dropoutProbability)
        : base(family, encoder, "token-classification")
    {
        numLabels = encoder.Config.NumLabels;
        dropout = nn.Dropout(dropoutProbability);
        classifier = nn.Linear(encoder.Config.HiddenSize, numLabels);
        register_module("dropout", dropout);
        register_module("classifier", classifier);
    }

    public override TaskHead Head => TaskHead.TokenClassification;

    public override ModelOutput forward(ModelInputs inputs)
    {
        var encoded = Encoder.forward(inputs);
        var logits = classifier.forward(dropout.forward(encoded.LastHiddenState));   // (b, l, labels)
        var loss = inputs.Labels is null ? null : Losses.CrossEntropy(logits.view(-1, numLabels), inputs.Labels.view(-1));
        return new ModelOutput { Logits = logits, Loss = loss, Encoder = encoded };
    }
}
