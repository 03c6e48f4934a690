using Microsoft.ML.ConvDeberta.Models.Heads;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>ConvBertGeneratorPredictions</c>: LayerNorm(gelu(dense(h))) down to embedding_size.
/// Keys: <c>LayerNorm</c> [E], <c>dense</c> [E, H]. The activation is always exact gelu, whatever hidden_act says.
/// </summary>
internal sealed class ConvBertGeneratorPredictions : nn.Module<Tensor, Tensor>
{
    public readonly LayerNorm LayerNorm;
    public readonly Linear dense;

    public ConvBertGeneratorPredictions(ConvBertConfig config) : base(nameof(ConvBertGeneratorPredictions))
    {
        LayerNorm = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEps);
        dense = nn.Linear(config.HiddenSize, config.EmbeddingSize);
        RegisterComponents();
    }

    /// <param name="hiddenStates">[B, L, H]</param>
    /// <returns>[B, L, E]</returns>
    public override Tensor forward(Tensor hiddenStates)
    {
        using var scope = NewDisposeScope();
        return LayerNorm.forward(nn.functional.gelu(dense.forward(hiddenStates))).MoveToOuterDisposeScope();
    }
}

/// <summary>
/// Hugging Face <c>ConvBertForMaskedLM</c>: <c>convbert</c>, <c>generator_predictions</c>, and <c>generator_lm_head</c>
/// (Linear E → vocab) whose weight is the word-embedding matrix (tied, so safetensors files omit it) and whose bias is
/// its own. Loss: cross-entropy over positions whose label is not -100.
/// </summary>
internal sealed class ConvBertForMaskedLM : TaskModel
{
    private const string TiedKey = "generator_lm_head.weight";
    private readonly ConvBertModel convbert;
    private readonly ConvBertGeneratorPredictions generator_predictions;
    private readonly Linear generator_lm_head;
    private readonly IModelFamily family;

    public ConvBertForMaskedLM(IModelFamily family, ConvBertModel encoder) : base(nameof(ConvBertForMaskedLM))
    {
        this.family = family;
        convbert = encoder;
        var config = (ConvBertConfig)encoder.Config;
        generator_predictions = new ConvBertGeneratorPredictions(config);
        generator_lm_head = nn.Linear(config.EmbeddingSize, config.VocabSize);
        register_module(family.BasePrefix, convbert);
        register_module(nameof(generator_predictions), generator_predictions);
        register_module(nameof(generator_lm_head), generator_lm_head);
        generator_lm_head.weight = encoder.WordEmbeddings.weight!;   // tie: the same Parameter, as HF's tie_weights
        tiedWeights = new() { [TiedKey] = family.BasePrefix + ".embeddings.word_embeddings.weight" };
    }

    public override TransformerEncoder Encoder => convbert;
    public override TaskHead Head => TaskHead.MaskedLM;
    public override IModelFamily Family => family;

    /// <inheritdoc/>
    public override IReadOnlyDictionary<string, string> TiedWeights => tiedWeights;
    private readonly Dictionary<string, string> tiedWeights;

    public override void InitializeWeights(IEnumerable<string>? onlyKeys = null) =>
        ConvBertWeightInit.Apply(this, convbert, onlyKeys?.Where(k => k != TiedKey));

    public override ModelOutput forward(ModelInputs inputs)
    {
        var encoded = convbert.forward(inputs);
        using var scope = NewDisposeScope();
        var logits = generator_lm_head.forward(generator_predictions.forward(encoded.LastHiddenState));   // [B, L, vocab]
        var loss = inputs.Labels is null ? null
            : Losses.CrossEntropy(logits.view(-1, logits.size(-1)), inputs.Labels.view(-1)).MoveToOuterDisposeScope();
        return new ModelOutput { Logits = logits.MoveToOuterDisposeScope(), Loss = loss, Encoder = encoded };
    }
}
