using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>SequenceSummary</c> as ConvBERT configures it: pools one vector per sequence. ConvBERT configs
/// carry no summary_* keys, so by default it takes the hidden state at the <em>last</em> position (possibly a pad)
/// with no projection, activation or dropout. A config that sets summary_use_proj gets the Linear
/// <c>summary</c> [H or labels, H].
/// </summary>
internal sealed class SequenceSummary : nn.Module<Tensor, Tensor>
{
    public readonly Linear? summary;
    private readonly string summaryType;
    private readonly Func<Tensor, Tensor>? activation;
    private readonly Dropout? first_dropout;
    private readonly Dropout? last_dropout;

    public SequenceSummary(ConvBertConfig config) : base(nameof(SequenceSummary))
    {
        summaryType = config.SummaryType ?? "last";
        if (config.SummaryUseProj == true)
            summary = nn.Linear(config.HiddenSize, config.SummaryProjToLabels == true && config.NumLabels > 0 ? config.NumLabels : config.HiddenSize);
        if (!string.IsNullOrEmpty(config.SummaryActivation)) activation = Activations.Get(config.SummaryActivation, "summary_activation");
        if (config.SummaryFirstDropout is > 0) first_dropout = nn.Dropout(config.SummaryFirstDropout.Value);
        if (config.SummaryLastDropout is > 0) last_dropout = nn.Dropout(config.SummaryLastDropout.Value);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[N, L, H]</param>
    /// <returns>[N, H] (or [N, labels] with a projection to labels)</returns>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        var x = summaryType switch
        {
            "first" => hiddenStates.select(1, 0),
            "mean" => hiddenStates.mean([1]),
            _ => hiddenStates.select(1, -1),                     // "last", and "cls_index" without indices
        };                                                       // [N, H]
        if (first_dropout is not null) x = first_dropout.forward(x);
        if (summary is not null) x = summary.forward(x);
        if (activation is not null) x = activation(x);
        if (last_dropout is not null) x = last_dropout.forward(x);
        return x.MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Hugging Face <c>ConvBertForMultipleChoice</c>: inputs [B, C, L] are flattened to [B·C, L], encoded, pooled by
/// <c>sequence_summary</c> and scored by <c>classifier</c> (Linear H → 1); logits [B, C], cross-entropy over choices.
/// </summary>
internal sealed class ConvBertForMultipleChoice : TaskModel
{
    private readonly ConvBertModel convbert;
    private readonly SequenceSummary sequence_summary;
    private readonly Linear classifier;
    private readonly IModelFamily family;

    public ConvBertForMultipleChoice(IModelFamily family, ConvBertModel encoder) : base(nameof(ConvBertForMultipleChoice))
    {
        this.family = family;
        convbert = encoder;
        var config = (ConvBertConfig)encoder.Config;
        sequence_summary = new SequenceSummary(config);
        classifier = nn.Linear(config.HiddenSize, 1);
        register_module(family.BasePrefix, convbert);
        register_module(nameof(sequence_summary), sequence_summary);
        register_module(nameof(classifier), classifier);
    }

    public override TransformerEncoder Encoder => convbert;
    public override TaskHead Head => TaskHead.MultipleChoice;
    public override IModelFamily Family => family;

    public override void InitializeWeights(IEnumerable<string>? onlyKeys = null) => ConvBertWeightInit.Apply(this, convbert, onlyKeys);

    /// <summary>Scores each choice; inputs are [B, C, L].</summary>
    public override ModelOutput forward(ModelInputs inputs)
    {
        var (rows, choices) = inputs.FlattenChoices(nameof(ConvBertForMultipleChoice));
        var encoded = convbert.forward(rows);                                            // [B·C, L, H]
        using var scope = NewDisposeScope();
        var pooled = sequence_summary.forward(encoded.LastHiddenState);                 // [B·C, H]
        var logits = classifier.forward(pooled).view(-1, choices);                       // [B, C]
        var loss = inputs.Labels is null ? null : Losses.CrossEntropy(logits, inputs.Labels).MoveToOuterDisposeScope();
        return new ModelOutput { Logits = logits.MoveToOuterDisposeScope(), Loss = loss, Encoder = encoded };
    }
}
