namespace Microsoft.ML.ConvDeberta.Tests.Models.ConvBert;

/// <summary>
/// Approved state-dict layouts (sorted "key [shape]") for configurations the reference folders do not cover, written
/// from Hugging Face's module definitions in modeling_convbert.py (v4.47): nn.Linear weights are [out, in],
/// SeparableConv1D is depthwise [C, 1, k] + pointwise [A, C, 1] + bias [A, 1], GroupedLinearLayer is
/// [groups, in/groups, out/groups] + bias [out], and embeddings_project exists only when embedding_size ≠ hidden_size.
/// </summary>
internal static class ConvBertStateDictBaselines
{
    /// <summary>
    /// ConvBertModel, hidden 64 = embedding_size (no embeddings_project), 8 heads / head_ratio 2 → 4 self-attention heads
    /// of 8 (A = 32), conv_kernel_size 5, num_groups 4, intermediate 96, vocab 50, 40 positions, 3 token types, 1 layer.
    /// </summary>
    public const string KernelFiveGroupsFour = """
        embeddings.LayerNorm.bias [64]
        embeddings.LayerNorm.weight [64]
        embeddings.position_embeddings.weight [40, 64]
        embeddings.token_type_embeddings.weight [3, 64]
        embeddings.word_embeddings.weight [50, 64]
        encoder.layer.0.attention.output.LayerNorm.bias [64]
        encoder.layer.0.attention.output.LayerNorm.weight [64]
        encoder.layer.0.attention.output.dense.bias [64]
        encoder.layer.0.attention.output.dense.weight [64, 64]
        encoder.layer.0.attention.self.conv_kernel_layer.bias [20]
        encoder.layer.0.attention.self.conv_kernel_layer.weight [20, 32]
        encoder.layer.0.attention.self.conv_out_layer.bias [32]
        encoder.layer.0.attention.self.conv_out_layer.weight [32, 64]
        encoder.layer.0.attention.self.key.bias [32]
        encoder.layer.0.attention.self.key.weight [32, 64]
        encoder.layer.0.attention.self.key_conv_attn_layer.bias [32, 1]
        encoder.layer.0.attention.self.key_conv_attn_layer.depthwise.weight [64, 1, 5]
        encoder.layer.0.attention.self.key_conv_attn_layer.pointwise.weight [32, 64, 1]
        encoder.layer.0.attention.self.query.bias [32]
        encoder.layer.0.attention.self.query.weight [32, 64]
        encoder.layer.0.attention.self.value.bias [32]
        encoder.layer.0.attention.self.value.weight [32, 64]
        encoder.layer.0.intermediate.dense.bias [96]
        encoder.layer.0.intermediate.dense.weight [4, 16, 24]
        encoder.layer.0.output.LayerNorm.bias [64]
        encoder.layer.0.output.LayerNorm.weight [64]
        encoder.layer.0.output.dense.bias [64]
        encoder.layer.0.output.dense.weight [4, 24, 16]
        """;

    /// <summary>
    /// ConvBertForMaskedLM, embedding_size 16 ≠ hidden 32 (embeddings_project), 2 heads with head_ratio 4 (fewer heads
    /// than the ratio: Hugging Face keeps 1 self-attention head of 16, A = 16), conv_kernel_size 3, num_groups 1,
    /// intermediate 48, vocab 30, 20 positions, 2 token types, 1 layer. generator_lm_head.weight is the tied word embedding.
    /// </summary>
    public const string SmallEmbeddingMaskedLM = """
        convbert.embeddings.LayerNorm.bias [16]
        convbert.embeddings.LayerNorm.weight [16]
        convbert.embeddings.position_embeddings.weight [20, 16]
        convbert.embeddings.token_type_embeddings.weight [2, 16]
        convbert.embeddings.word_embeddings.weight [30, 16]
        convbert.embeddings_project.bias [32]
        convbert.embeddings_project.weight [32, 16]
        convbert.encoder.layer.0.attention.output.LayerNorm.bias [32]
        convbert.encoder.layer.0.attention.output.LayerNorm.weight [32]
        convbert.encoder.layer.0.attention.output.dense.bias [32]
        convbert.encoder.layer.0.attention.output.dense.weight [32, 32]
        convbert.encoder.layer.0.attention.self.conv_kernel_layer.bias [3]
        convbert.encoder.layer.0.attention.self.conv_kernel_layer.weight [3, 16]
        convbert.encoder.layer.0.attention.self.conv_out_layer.bias [16]
        convbert.encoder.layer.0.attention.self.conv_out_layer.weight [16, 32]
        convbert.encoder.layer.0.attention.self.key.bias [16]
        convbert.encoder.layer.0.attention.self.key.weight [16, 32]
        convbert.encoder.layer.0.attention.self.key_conv_attn_layer.bias [16, 1]
        convbert.encoder.layer.0.attention.self.key_conv_attn_layer.depthwise.weight [32, 1, 3]
        convbert.encoder.layer.0.attention.self.key_conv_attn_layer.pointwise.weight [16, 32, 1]
        convbert.encoder.layer.0.attention.self.query.bias [16]
        convbert.encoder.layer.0.attention.self.query.weight [16, 32]
        convbert.encoder.layer.0.attention.self.value.bias [16]
        convbert.encoder.layer.0.attention.self.value.weight [16, 32]
        convbert.encoder.layer.0.intermediate.dense.bias [48]
        convbert.encoder.layer.0.intermediate.dense.weight [48, 32]
        convbert.encoder.layer.0.output.LayerNorm.bias [32]
        convbert.encoder.layer.0.output.LayerNorm.weight [32]
        convbert.encoder.layer.0.output.dense.bias [32]
        convbert.encoder.layer.0.output.dense.weight [32, 48]
        generator_lm_head.bias [30]
        generator_lm_head.weight [30, 16]
        generator_predictions.LayerNorm.bias [16]
        generator_predictions.LayerNorm.weight [16]
        generator_predictions.dense.bias [16]
        generator_predictions.dense.weight [16, 32]
        """;
}
