using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>ConvBertClassificationHead</c>: out_proj(dropout(act(dense(dropout(h[:, 0]))))), act = hidden_act.
/// Keys: <c>dense</c> [H, H], <c>out_proj</c> [labels, H].
/// </summary>
internal sealed class ConvBertClassificationHead : nn.Module<Tensor, Tensor>
{
    public readonly Linear dense;
    private readonly Dropout dropout;
    public readonly Linear out_proj;
    private readonly Func<Tensor, Tensor> activation;

    public ConvBertClassificationHead(ConvBertConfig config) : base(nameof(ConvBertClassificationHead))
    {
        dense = nn.Linear(config.HiddenSize, config.HiddenSize);
        dropout = nn.Dropout(config.EffectiveClassifierDropout);
        out_proj = nn.Linear(config.HiddenSize, config.NumLabels);
        activation = Activations.Get(config.HiddenAct);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, H]</param>
    /// <returns>[B, labels]</returns>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var x = hiddenStates.select(1, 0);                                   // [B, H]: the [CLS] position
        x = dropout.forward(x);
        x = activation(dense.forward(x));
        x = out_proj.forward(dropout.forward(x));                          // [B, labels]
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Hugging Face <c>ConvBertForSequenceClassification</c>: <c>convbert</c> + <c>classifier</c>
/// (<see cref="ConvBertClassificationHead"/>). The loss follows problem_type, inferred from the labels when null
/// (1 label: regression; integer labels: single-label; otherwise multi-label).
/// </summary>
internal sealed class ConvBertForSequenceClassification : TaskModel
{
    private readonly ConvBertModel convbert;
    private readonly ConvBertClassificationHead classifier;
    private readonly IModelFamily family;
    private readonly int numLabels;
    private readonly string? problemType;

    public ConvBertForSequenceClassification(IModelFamily family, ConvBertModel encoder) : base(nameof(ConvBertForSequenceClassification))
    {
        this.family = family;
        convbert = encoder;
        var config = (ConvBertConfig)encoder.Config;
        numLabels = config.NumLabels;
        problemType = config.ProblemType;
        classifier = new ConvBertClassificationHead(config);
        register_module(family.BasePrefix, convbert);
        register_module(nameof(classifier), classifier);
    }

    public override TransformerEncoder Encoder => convbert;
    public override TaskHead Head => TaskHead.SequenceClassification;
    public override IModelFamily Family => family;

    public override void InitializeWeights(IEnumerable<string>? onlyKeys = null) => ConvBertWeightInit.Apply(this, convbert, onlyKeys);

    public override ModelOutput forward(ModelInputs inputs)
    {
        var encoded = convbert.forward(inputs);
        var logits = classifier.forward(encoded.LastHiddenState);          // [B, labels]
        var loss = inputs.Labels is null ? null : Losses.SequenceClassification(logits, inputs.Labels, numLabels, problemType);
        return new ModelOutput { Logits = logits, Loss = loss, Encoder = encoded };
    }
}
