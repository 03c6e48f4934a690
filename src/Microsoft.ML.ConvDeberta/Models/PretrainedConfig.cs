using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Microsoft.ML.ConvDeberta.Models;

/// <summary>
/// The fields every Hugging Face encoder <c>config.json</c> shares, with the Hugging Face names and the
/// BERT-style defaults of <c>PretrainedConfig</c>. Each family's record derives from it and resets the
/// defaults that differ in its parameterless constructor (one place per family). Unknown keys are kept in
/// <see cref="ExtraFields"/> so a load → save round trip loses nothing.
/// </summary>
public abstract record PretrainedConfig
{
    /// <summary>The Hugging Face <c>model_type</c> ("convbert", "deberta", "deberta-v2").</summary>
    [JsonPropertyName("model_type")] public abstract string ModelType { get; }

    /// <summary>Class names the checkpoint was saved from, e.g. <c>DebertaV2ForSequenceClassification</c>.</summary>
    [JsonPropertyName("architectures")] public IReadOnlyList<string>? Architectures { get; init; }

    [JsonPropertyName("vocab_size")] public int VocabSize { get; init; } = 30522;
    [JsonPropertyName("hidden_size")] public int HiddenSize { get; init; } = 768;
    [JsonPropertyName("num_hidden_layers")] public int NumHiddenLayers { get; init; } = 12;
    [JsonPropertyName("num_attention_heads")] public int NumAttentionHeads { get; init; } = 12;
    [JsonPropertyName("intermediate_size")] public int IntermediateSize { get; init; } = 3072;
    [JsonPropertyName("hidden_act")] public string HiddenAct { get; init; } = "gelu";
    [JsonPropertyName("hidden_dropout_prob")] public double HiddenDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("attention_probs_dropout_prob")] public double AttentionProbsDropoutProb { get; init; } = 0.1;
    [JsonPropertyName("max_position_embeddings")] public int MaxPositionEmbeddings { get; init; } = 512;
    [JsonPropertyName("type_vocab_size")] public int TypeVocabSize { get; init; } = 2;
    [JsonPropertyName("initializer_range")] public double InitializerRange { get; init; } = 0.02;
    [JsonPropertyName("layer_norm_eps")] public double LayerNormEps { get; init; } = 1e-12;
    [JsonPropertyName("pad_token_id")] public int PadTokenId { get; init; } = 0;

    /// <summary>Dropout before the classifier; null means "use <see cref="HiddenDropoutProb"/>".</summary>
    [JsonPropertyName("classifier_dropout")] public double? ClassifierDropout { get; init; }

    /// <summary>"regression", "single_label_classification", "multi_label_classification" or null (inferred).</summary>
    [JsonPropertyName("problem_type")] public string? ProblemType { get; init; }

    /// <summary>Class index → class name. Its size is the number of labels, as in Hugging Face.</summary>
    [JsonPropertyName("id2label")] public IReadOnlyDictionary<string, string>? Id2Label { get; init; }

    /// <summary>Class name → class index.</summary>
    [JsonPropertyName("label2id")] public IReadOnlyDictionary<string, int>? Label2Id { get; init; }

    /// <summary>Whether output embeddings are tied to the input embeddings (Hugging Face default true).</summary>
    [JsonPropertyName("tie_word_embeddings")] public bool TieWordEmbeddings { get; init; } = true;

    /// <summary>Keys this library does not model; kept verbatim and written back on save.</summary>
    [JsonExtensionData] public Dictionary<string, JsonElement>? ExtraFields { get; init; }

    /// <summary>Number of labels (size of <see cref="Id2Label"/>, Hugging Face's default 2).</summary>
    [JsonIgnore] public int NumLabels => Id2Label?.Count ?? 2;

    /// <summary>Dropout probability used in front of task classifiers.</summary>
    [JsonIgnore] public double EffectiveClassifierDropout => ClassifierDropout ?? HiddenDropoutProb;

    /// <summary>A copy with <paramref name="numLabels"/> labels named LABEL_0..N-1 (or the given names).</summary>
    public PretrainedConfig WithLabels(int numLabels, IReadOnlyList<string>? names = null)
    {
        var id2 = new Dictionary<string, string>();
        var l2 = new Dictionary<string, int>();
        for (int i = 0; i < numLabels; i++)
        {
            var name = names != null ? names[i] : $"LABEL_{i}";
            id2[i.ToString(System.Globalization.CultureInfo.InvariantCulture)] = name;
            l2[name] = i;
        }
        return this with { Id2Label = id2, Label2Id = l2 };
    }

    /// <summary>
    /// Checks the invariants the networks rely on; throws <see cref="InvalidDataException"/> naming the key.
    /// Families extend it for their own keys.
    /// </summary>
    public virtual void Validate()
    {
        Require(VocabSize > 0, "vocab_size", "must be positive");
        Require(HiddenSize > 0, "hidden_size", "must be positive");
        Require(NumHiddenLayers > 0, "num_hidden_layers", "must be positive");
        Require(NumAttentionHeads > 0, "num_attention_heads", "must be positive");
        Require(IntermediateSize > 0, "intermediate_size", "must be positive");
        Require(TypeVocabSize >= 0, "type_vocab_size", "must not be negative");
        Require(MaxPositionEmbeddings > 0, "max_position_embeddings", "must be positive");
    }

    /// <summary>Throws an <see cref="InvalidDataException"/> naming the config key when the condition fails.</summary>
    protected void Require(bool condition, string key, string message)
    {
        if (!condition)
            throw new InvalidDataException($"config.json ({ModelType}): '{key}' {message}.");
    }

    /// <summary>The JSON form Hugging Face's <c>from_pretrained</c> reads.</summary>
    public string ToJson() => ConfigSerialization.Serialize(this);
}
