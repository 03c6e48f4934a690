using System.Text.Json.Serialization;
using Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// The <c>config.json</c> of a DeBERTa-v2 or DeBERTa-v3 checkpoint (Hugging Face <c>model_type: "deberta-v2"</c>),
/// with the names and defaults of <c>DebertaV2Config</c> and of the <c>getattr</c> fallbacks in
/// <c>modeling_deberta_v2.py</c>. Example: <c>microsoft/deberta-v3-base</c> sets relative_attention, position_buckets 256,
/// norm_rel_ebd "layer_norm", share_att_key and pos_att_type "p2c|c2p".
/// </summary>
public sealed record DebertaV2Config : PretrainedConfig, IDebertaHeadConfig
{
    /// <summary>Creates a config with the Hugging Face <c>DebertaV2Config()</c> defaults (the deberta-v2-xlarge sizes).</summary>
    public DebertaV2Config()
    {
        VocabSize = 128100;
        HiddenSize = 1536;
        NumHiddenLayers = 24;
        NumAttentionHeads = 24;
        IntermediateSize = 6144;
        TypeVocabSize = 0;
        LayerNormEps = 1e-7;
    }

    /// <inheritdoc/>
    [JsonPropertyName("model_type")] public override string ModelType => "deberta-v2";

    /// <summary>Whether attention adds the disentangled relative-position terms (default false; true in every released checkpoint).</summary>
    [JsonPropertyName("relative_attention")] public bool RelativeAttention { get; init; }

    /// <summary>Relative distance span k; values below 1 mean "use max_position_embeddings" (default -1).</summary>
    [JsonPropertyName("max_relative_positions")] public int MaxRelativePositions { get; init; } = -1;

    /// <summary>Number of log-scaled relative-position buckets per direction; ≤ 0 disables bucketing (default -1; v3 uses 256).</summary>
    [JsonPropertyName("position_buckets")] public int PositionBuckets { get; init; } = -1;

    /// <summary>
    /// Which disentangled terms attention adds: "c2p" (content→position) and/or "p2c" (position→content).
    /// config.json may hold a list or the "p2c|c2p" string of the original checkpoints; null means none.
    /// </summary>
    [JsonPropertyName("pos_att_type"), JsonConverter(typeof(Deberta.DebertaConfig.PosAttTypeConverter))]
    public IReadOnlyList<string>? PosAttType { get; init; }

    /// <summary>Whether relative embeddings are projected with query_proj/key_proj (true) or with their own pos_query_proj/pos_key_proj (default false).</summary>
    [JsonPropertyName("share_att_key")] public bool ShareAttKey { get; init; }

    /// <summary>"layer_norm" applies <c>encoder.LayerNorm</c> to the relative-embedding table; "none" (default) does not.</summary>
    [JsonPropertyName("norm_rel_ebd")] public string NormRelEbd { get; init; } = "none";

    /// <summary>Kernel width of the nGiE convolution after the first layer; 0 (default) means no convolution.</summary>
    [JsonPropertyName("conv_kernel_size")] public int ConvKernelSize { get; init; }

    /// <summary>Activation of the nGiE convolution (default "tanh").</summary>
    [JsonPropertyName("conv_act")] public string ConvAct { get; init; } = "tanh";

    /// <summary>Groups of the nGiE convolution (default 1).</summary>
    [JsonPropertyName("conv_groups")] public int ConvGroups { get; init; } = 1;

    /// <summary>Width of one attention head; null means hidden_size / num_attention_heads.</summary>
    [JsonPropertyName("attention_head_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? AttentionHeadSize { get; init; }

    /// <summary>Whether absolute position embeddings are added to the input (default true; false in released checkpoints).</summary>
    [JsonPropertyName("position_biased_input")] public bool PositionBiasedInput { get; init; } = true;

    /// <summary>Width of the word embeddings; null means hidden_size (otherwise <c>embeddings.embed_proj</c> maps to hidden_size).</summary>
    [JsonPropertyName("embedding_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? EmbeddingSize { get; init; }

    /// <summary>Masked-LM head layout: true (default) = <c>cls.predictions.*</c>, false = the original <c>lm_predictions.lm_head.*</c>.</summary>
    [JsonPropertyName("legacy")] public bool Legacy { get; init; } = true;

    /// <summary>Width of the classification pooler; null means hidden_size.</summary>
    [JsonPropertyName("pooler_hidden_size"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public int? PoolerHiddenSize { get; init; }

    /// <summary>Dropout inside the classification pooler (default 0).</summary>
    [JsonPropertyName("pooler_dropout")] public double PoolerDropout { get; init; }

    /// <summary>Activation of the classification pooler (default "gelu").</summary>
    [JsonPropertyName("pooler_hidden_act")] public string PoolerHiddenAct { get; init; } = "gelu";

    /// <summary>Dropout in front of the sequence-classification and multiple-choice classifiers; null means hidden_dropout_prob.</summary>
    [JsonPropertyName("cls_dropout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? ClsDropout { get; init; }

    /// <summary>The relative span actually used: max_relative_positions, or max_position_embeddings when it is below 1.</summary>
    [JsonIgnore] public int EffectiveMaxRelativePositions => MaxRelativePositions < 1 ? MaxPositionEmbeddings : MaxRelativePositions;

    /// <summary>Rows per direction of the relative-embedding table: position_buckets when bucketing, else the relative span.</summary>
    [JsonIgnore] public int PositionEmbeddingSpan => PositionBuckets > 0 ? PositionBuckets : EffectiveMaxRelativePositions;

    /// <summary>Width of one attention head (attention_head_size or hidden_size / num_attention_heads).</summary>
    [JsonIgnore] public int EffectiveAttentionHeadSize => AttentionHeadSize ?? HiddenSize / NumAttentionHeads;

    /// <summary>Width of the word embeddings (embedding_size or hidden_size).</summary>
    [JsonIgnore] public int EffectiveEmbeddingSize => EmbeddingSize ?? HiddenSize;

    /// <summary>Width of the classification pooler (pooler_hidden_size or hidden_size).</summary>
    [JsonIgnore] public int EffectivePoolerHiddenSize => PoolerHiddenSize ?? HiddenSize;

    /// <summary>Whether the content→position term is on.</summary>
    [JsonIgnore] public bool UsesC2P => PosAttType?.Contains("c2p") == true;

    /// <summary>Whether the position→content term is on.</summary>
    [JsonIgnore] public bool UsesP2C => PosAttType?.Contains("p2c") == true;

    /// <summary>Whether norm_rel_ebd asks for <c>encoder.LayerNorm</c> on the relative embeddings.</summary>
    [JsonIgnore] public bool NormalizesRelativeEmbeddings => NormRelEbdParts.Contains("layer_norm");

    int IDebertaHeadConfig.EmbeddingSize => EffectiveEmbeddingSize;
    int IDebertaHeadConfig.PoolerHiddenSize => EffectivePoolerHiddenSize;

    private string[] NormRelEbdParts => NormRelEbd.ToLowerInvariant().Split('|', StringSplitOptions.TrimEntries);

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        if (AttentionHeadSize is null)
            Require(HiddenSize % NumAttentionHeads == 0, "hidden_size",
                $"({HiddenSize}) must be a multiple of num_attention_heads ({NumAttentionHeads}), or set attention_head_size");
        else
            Require(AttentionHeadSize * NumAttentionHeads == HiddenSize, "attention_head_size",
                $"({AttentionHeadSize}) times num_attention_heads ({NumAttentionHeads}) must equal hidden_size ({HiddenSize}), because the attention output projection is hidden_size × hidden_size");
        Require(EmbeddingSize is null or > 0, "embedding_size", "must be positive");
        Require(PoolerHiddenSize is null or > 0, "pooler_hidden_size", "must be positive");
        foreach (var type in PosAttType ?? [])
            Require(type is "c2p" or "p2c", "pos_att_type", $"contains '{type}'; DeBERTa-v2 supports \"c2p\" and \"p2c\" (e.g. \"p2c|c2p\")");
        foreach (var part in NormRelEbdParts)
            Require(part is "none" or "layer_norm", "norm_rel_ebd", $"contains '{part}'; use \"layer_norm\" or \"none\"");
        if (RelativeAttention && PositionBuckets > 0)
            Require(EffectiveMaxRelativePositions - 1 > PositionBuckets / 2, "position_buckets",
                $"({PositionBuckets}) needs max_relative_positions (effective {EffectiveMaxRelativePositions}) above position_buckets / 2 + 1 for the log buckets; raise max_relative_positions or lower position_buckets");
        Require(ConvKernelSize >= 0, "conv_kernel_size", "must not be negative (0 disables the nGiE convolution)");
        if (ConvKernelSize > 0)
        {
            Require(ConvKernelSize % 2 == 1, "conv_kernel_size", $"({ConvKernelSize}) must be odd so the convolution keeps the sequence length");
            Require(ConvGroups > 0 && HiddenSize % ConvGroups == 0, "conv_groups", $"({ConvGroups}) must be positive and divide hidden_size ({HiddenSize})");
            Heads.Activations.Get(ConvAct, "conv_act");
        }
        Heads.Activations.Get(HiddenAct, "hidden_act");
        Heads.Activations.Get(PoolerHiddenAct, "pooler_hidden_act");
        Require(PadTokenId < VocabSize, "pad_token_id", $"({PadTokenId}) must be below vocab_size ({VocabSize})");
    }
}
