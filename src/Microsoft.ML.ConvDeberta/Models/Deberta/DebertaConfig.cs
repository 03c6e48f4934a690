using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.ConvDeberta.Models.Deberta.Heads;
using Microsoft.ML.ConvDeberta.Models.Heads;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// The <c>config.json</c> of a DeBERTa (v1) checkpoint such as <c>microsoft/deberta-base</c>
/// (Hugging Face <c>DebertaConfig</c>, <c>model_type: "deberta"</c>), with Hugging Face's names and defaults.
/// </summary>
/// <example>
/// <code>var config = (DebertaConfig)ModelConfigs.Load("models/deberta-base");</code>
/// </example>
public sealed record DebertaConfig : PretrainedConfig, IDebertaHeadConfig
{
    /// <summary>Creates a config with Hugging Face's <c>DebertaConfig</c> defaults (vocab 50265, no token types, LayerNorm eps 1e-7).</summary>
    public DebertaConfig()
    {
        VocabSize = 50265;
        TypeVocabSize = 0;
        LayerNormEps = 1e-7;
    }

    /// <inheritdoc/>
    public override string ModelType => "deberta";

    /// <summary>Whether attention adds the disentangled relative-position terms (default false; true in every released checkpoint).</summary>
    [JsonPropertyName("relative_attention")] public bool RelativeAttention { get; init; }

    /// <summary>Half the size of the relative-position table; values below 1 mean <see cref="PretrainedConfig.MaxPositionEmbeddings"/> (default -1).</summary>
    [JsonPropertyName("max_relative_positions")] public int MaxRelativePositions { get; init; } = -1;

    /// <summary>
    /// Relative-position terms: "c2p" (content→position), "p2c" (position→content); "p2p" is accepted as Hugging Face does
    /// (it enlarges the score scale but adds no term). Reads both the JSON list and the <c>"c2p|p2c"</c> string form.
    /// </summary>
    [JsonPropertyName("pos_att_type"), JsonConverter(typeof(PosAttTypeConverter))]
    public IReadOnlyList<string>? PosAttType { get; init; }

    /// <summary>Whether absolute position embeddings are added to the input embeddings (default true; false in released checkpoints).</summary>
    [JsonPropertyName("position_biased_input")] public bool PositionBiasedInput { get; init; } = true;

    /// <summary>Width of the word embeddings; null means <see cref="PretrainedConfig.HiddenSize"/>. When it differs, <c>embed_proj</c> maps it to hidden_size.</summary>
    [JsonPropertyName("embedding_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? EmbeddingSize { get; init; }

    /// <summary>Width of the <c>pooler.dense</c> layer; null means <see cref="PretrainedConfig.HiddenSize"/>.</summary>
    [JsonPropertyName("pooler_hidden_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public int? PoolerHiddenSize { get; init; }

    /// <summary>Dropout in front of the pooler's dense layer (default 0).</summary>
    [JsonPropertyName("pooler_dropout")] public double PoolerDropout { get; init; }

    /// <summary>Activation after the pooler's dense layer (default "gelu").</summary>
    [JsonPropertyName("pooler_hidden_act")] public string PoolerHiddenAct { get; init; } = "gelu";

    /// <summary>Dropout in front of the sequence-classification and multiple-choice classifier; null means <see cref="PretrainedConfig.HiddenDropoutProb"/>.</summary>
    [JsonPropertyName("cls_dropout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] public double? ClsDropout { get; init; }

    /// <summary>Masked-LM head layout: true (default) = BERT-style <c>cls.predictions.*</c>; false = DeBERTa's original <c>lm_predictions.lm_head.*</c>.</summary>
    [JsonPropertyName("legacy")] public bool Legacy { get; init; } = true;

    /// <summary>Talking-heads attention (Shazeer et al.); only false is supported, as in every released checkpoint.</summary>
    [JsonPropertyName("talking_head")] public bool TalkingHead { get; init; }

    /// <summary>The relative-position table's half size after resolving -1 (Hugging Face's <c>max_relative_positions</c> attribute).</summary>
    [JsonIgnore] public int EffectiveMaxRelativePositions => MaxRelativePositions < 1 ? MaxPositionEmbeddings : MaxRelativePositions;

    /// <summary>The word-embedding width after resolving null.</summary>
    [JsonIgnore] public int EffectiveEmbeddingSize => EmbeddingSize ?? HiddenSize;

    /// <summary>The pooler width after resolving null.</summary>
    [JsonIgnore] public int EffectivePoolerHiddenSize => PoolerHiddenSize ?? HiddenSize;

    /// <summary>The relative-position terms, lower-cased (empty when none).</summary>
    [JsonIgnore] public IReadOnlyList<string> PositionTerms => PosAttType ?? [];

    /// <summary>Whether the content→position term is computed.</summary>
    [JsonIgnore] public bool HasC2P => RelativeAttention && PositionTerms.Contains("c2p");

    /// <summary>Whether the position→content term is computed.</summary>
    [JsonIgnore] public bool HasP2C => RelativeAttention && PositionTerms.Contains("p2c");

    int IDebertaHeadConfig.EmbeddingSize => EffectiveEmbeddingSize;
    int IDebertaHeadConfig.PoolerHiddenSize => EffectivePoolerHiddenSize;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        Require(HiddenSize % NumAttentionHeads == 0, "hidden_size",
            $"({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads})");
        Require(LayerNormEps > 0, "layer_norm_eps", "must be positive");
        Require(EmbeddingSize is null or > 0, "embedding_size", "must be positive when set");
        Require(PoolerHiddenSize is null or > 0, "pooler_hidden_size", "must be positive when set");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, "pad_token_id", $"({PadTokenId}) must lie in [0, vocab_size)");
        foreach (var term in PositionTerms)
            Require(term is "c2p" or "p2c" or "p2p", "pos_att_type",
                $"contains '{term}'; use \"c2p\", \"p2c\" (and \"p2p\", which Hugging Face ignores), as a list or a \"c2p|p2c\" string");
        Require(PositionTerms.Distinct().Count() == PositionTerms.Count, "pos_att_type", "lists a term twice");
        Require(!TalkingHead, "talking_head",
            "= true is not supported (no released DeBERTa checkpoint uses talking-heads attention); set it to false");
        Require(Legacy || EffectiveEmbeddingSize == HiddenSize, "legacy",
            $"= false (lm_predictions head) needs embedding_size == hidden_size, got {EffectiveEmbeddingSize} and {HiddenSize}");
        Activations.Get(HiddenAct, "hidden_act");
        Activations.Get(PoolerHiddenAct, "pooler_hidden_act");
    }

    /// <summary>Reads <c>pos_att_type</c> as a JSON list or a <c>"c2p|p2c"</c> string (Hugging Face lower-cases and trims each part); writes a list.</summary>
    internal sealed class PosAttTypeConverter : JsonConverter<IReadOnlyList<string>?>
    {
        public override IReadOnlyList<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            switch (reader.TokenType)
            {
                case JsonTokenType.Null:
                    return null;
                case JsonTokenType.String:
                    return reader.GetString()!.ToLowerInvariant().Split('|').Select(s => s.Trim()).ToArray();
                case JsonTokenType.StartArray:
                    var items = new List<string>();
                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                            throw new JsonException("'pos_att_type' must be a list of strings such as [\"c2p\", \"p2c\"] or a string such as \"c2p|p2c\".");
                        items.Add(reader.GetString()!.Trim());
                    }
                    return items;
                default:
                    throw new JsonException("'pos_att_type' must be a list of strings such as [\"c2p\", \"p2c\"] or a string such as \"c2p|p2c\".");
            }
        }

        public override void Write(Utf8JsonWriter writer, IReadOnlyList<string>? value, JsonSerializerOptions options)
        {
            if (value is null) { writer.WriteNullValue(); return; }
            writer.WriteStartArray();
            foreach (var item in value) writer.WriteStringValue(item);
            writer.WriteEndArray();
        }
    }
}
