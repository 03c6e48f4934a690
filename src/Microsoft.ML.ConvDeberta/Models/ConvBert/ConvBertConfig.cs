using System.Text.Json.Serialization;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// The <c>config.json</c> of a ConvBERT checkpoint (Hugging Face <c>ConvBertConfig</c>), with the Hugging Face key
/// names and defaults. ConvBERT mixes <see cref="EffectiveSelfAttentionHeads"/> self-attention heads with as many
/// span-based dynamic convolution heads, and can use a smaller embedding size and grouped feed-forward layers.
/// </summary>
/// <example><code>var config = (ConvBertConfig)ModelConfigs.Load("YituTech/conv-bert-base");</code></example>
public sealed record ConvBertConfig : PretrainedConfig
{
    /// <summary>Creates a config with Hugging Face's <c>ConvBertConfig</c> defaults (base size, pad id 1).</summary>
    public ConvBertConfig()
    {
        PadTokenId = 1;
    }

    /// <inheritdoc/>
    public override string ModelType => "convbert";

    /// <summary>Width of the token/position/type embeddings; projected to hidden_size when different (default 768).</summary>
    [JsonPropertyName("embedding_size")] public int EmbeddingSize { get; init; } = 768;

    /// <summary>
    /// Ratio of all heads to self-attention heads (default 2): num_attention_heads / head_ratio heads do self-attention,
    /// the same number do span-based dynamic convolution.
    /// </summary>
    [JsonPropertyName("head_ratio")] public int HeadRatio { get; init; } = 2;

    /// <summary>Width of the span-based dynamic convolution and of the key's depthwise convolution (default 9, odd).</summary>
    [JsonPropertyName("conv_kernel_size")] public int ConvKernelSize { get; init; } = 9;

    /// <summary>Groups of the grouped linear layers in the feed-forward block; 1 = ordinary Linear (default 1).</summary>
    [JsonPropertyName("num_groups")] public int NumGroups { get; init; } = 1;

    /// <summary>Beginning-of-sequence token id (default 0).</summary>
    [JsonPropertyName("bos_token_id")] public int? BosTokenId { get; init; } = 0;

    /// <summary>End-of-sequence token id (default 2).</summary>
    [JsonPropertyName("eos_token_id")] public int? EosTokenId { get; init; } = 2;

    /// <summary>
    /// Multiple-choice pooling (<c>SequenceSummary</c>): "last" (default when absent, as in Hugging Face), "first", "mean"
    /// or "cls_index" (without indices: the last position). Written only when set.
    /// </summary>
    [JsonPropertyName("summary_type"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SummaryType { get; init; }

    /// <summary>Whether the multiple-choice summary has a Linear projection <c>sequence_summary.summary</c>. Written only when set.</summary>
    [JsonPropertyName("summary_use_proj"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SummaryUseProj { get; init; }

    /// <summary>Whether that projection outputs num_labels features instead of hidden_size. Written only when set.</summary>
    [JsonPropertyName("summary_proj_to_labels"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public bool? SummaryProjToLabels { get; init; }

    /// <summary>Activation after the summary projection (e.g. "tanh"); none when absent. Written only when set.</summary>
    [JsonPropertyName("summary_activation"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public string? SummaryActivation { get; init; }

    /// <summary>Dropout before the summary projection (none when absent or 0). Written only when set.</summary>
    [JsonPropertyName("summary_first_dropout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SummaryFirstDropout { get; init; }

    /// <summary>Dropout after the summary activation (none when absent or 0). Written only when set.</summary>
    [JsonPropertyName("summary_last_dropout"), JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public double? SummaryLastDropout { get; init; }

    /// <summary>Self-attention heads per layer: num_attention_heads / head_ratio, at least 1 (as Hugging Face computes it).</summary>
    [JsonIgnore] public int EffectiveSelfAttentionHeads => Math.Max(1, NumAttentionHeads / HeadRatio);

    /// <summary>Width of one head: hidden_size / num_attention_heads (heads of both kinds have it).</summary>
    [JsonIgnore] public int AttentionHeadSize => HiddenSize / NumAttentionHeads;

    /// <summary>Width of all self-attention heads together (= width of all convolution heads).</summary>
    [JsonIgnore] public int AllHeadSize => EffectiveSelfAttentionHeads * AttentionHeadSize;

    /// <inheritdoc/>
    public override void Validate()
    {
        base.Validate();
        Require(EmbeddingSize > 0, "embedding_size", "must be positive");
        Require(TypeVocabSize > 0, "type_vocab_size", "must be positive for ConvBERT (its embeddings always add a token-type embedding)");
        Require(HeadRatio > 0, "head_ratio", "must be positive");
        Require(HiddenSize % NumAttentionHeads == 0, "hidden_size",
            $"({HiddenSize}) must be divisible by 'num_attention_heads' ({NumAttentionHeads})");
        // The self-attention heads and the convolution heads are concatenated into hidden_size features.
        Require(2 * AllHeadSize == HiddenSize, "head_ratio",
            $"({HeadRatio}) must leave half of the {NumAttentionHeads} heads to self-attention and half to the span-based " +
            $"convolution (their concatenation must be hidden_size); use head_ratio 2");
        Require(ConvKernelSize > 0 && ConvKernelSize % 2 == 1, "conv_kernel_size",
            $"({ConvKernelSize}) must be a positive odd number (the convolution is centred on each token)");
        Require(NumGroups > 0, "num_groups", "must be positive");
        Require(HiddenSize % NumGroups == 0, "num_groups", $"({NumGroups}) must divide 'hidden_size' ({HiddenSize})");
        Require(IntermediateSize % NumGroups == 0, "num_groups", $"({NumGroups}) must divide 'intermediate_size' ({IntermediateSize})");
        Require(PadTokenId >= 0 && PadTokenId < VocabSize, "pad_token_id", $"({PadTokenId}) must be a token id below 'vocab_size' ({VocabSize})");
        Require(SummaryType is null or "last" or "first" or "mean" or "cls_index", "summary_type",
            $"('{SummaryType}') must be one of last, first, mean, cls_index");
    }
}
