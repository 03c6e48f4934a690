using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Heads;

/// <summary>
/// <c>XxxForTokenClassification</c>, identical in every family: dropout → <c>classifier</c> on every position;
/// cross-entropy over positions whose label is not -100.
/// </summary>
internal sealed class TokenClassificationModel : TaskModel
{
    private readonly TransformerEncoder encoder;
    private readonly IModelFamily family;
    private readonly Dropout dropout;
    private readonly Linear classifier;
    private readonly int numLabels;

    public TokenClassificationModel(IModelFamily family, TransformerEncoder encoder, double dropoutProbability)
        : base(family.ModelType + "-token-classification")
    {
        this.family = family;
        this.encoder = encoder;
        numLabels = encoder.Config.NumLabels;
        dropout = nn.Dropout(dropoutProbability);
        classifier = nn.Linear(encoder.Config.HiddenSize, numLabels);
        register_module(family.BasePrefix, encoder);
        register_module("dropout", dropout);
        register_module("classifier", classifier);
    }

    public override TransformerEncoder Encoder => encoder;
    public override TaskHead Head => TaskHead.TokenClassification;
    public override IModelFamily Family => family;

    /// <summary>The family's own initialisation (<see cref="IModelFamily.InitializeWeights"/>).</summary>
    public override void InitializeWeights(IEnumerable<string>? onlyKeys = null) => family.InitializeWeights(this, onlyKeys);

    public override ModelOutput forward(ModelInputs inputs)
    {
        var encoded = encoder.forward(inputs);
        var logits = classifier.forward(dropout.forward(encoded.LastHiddenState));   // (b, l, labels)
        var loss = inputs.Labels is null ? null : Losses.CrossEntropy(logits.view(-1, numLabels), inputs.Labels.view(-1));
        return new ModelOutput { Logits = logits, Loss = loss, Encoder = encoded };
    }
}
