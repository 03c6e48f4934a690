using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>ConvBertEmbeddings</c>: word + position + token-type embeddings of width embedding_size, then
/// LayerNorm and dropout. Keys: <c>word_embeddings</c>, <c>position_embeddings</c>, <c>token_type_embeddings</c>, <c>LayerNorm</c>.
/// </summary>
internal sealed class ConvBertEmbeddings : nn.Module<Tensor, Tensor?, Tensor?, Tensor>
{
    public readonly Embedding word_embeddings;
    public readonly Embedding position_embeddings;
    public readonly Embedding token_type_embeddings;
    public readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public ConvBertEmbeddings(ConvBertConfig config) : base(nameof(ConvBertEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, config.EmbeddingSize, padding_idx: config.PadTokenId);
        position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, config.EmbeddingSize);
        token_type_embeddings = nn.Embedding(config.TypeVocabSize, config.EmbeddingSize);
        LayerNorm = nn.LayerNorm(config.EmbeddingSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <param name="inputIds">[B, L] int64.</param>
    /// <param name="tokenTypeIds">[B, L] int64, or null for all zeros.</param>
    /// <param name="positionIds">[B, L] or [1, L] int64, or null for 0..L-1.</param>
    /// <returns>[B, L, embedding_size]</returns>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds, Tensor? positionIds)
    {
        using var scope = NewDisposeScope();
        long length = inputIds.size(1);
        positionIds ??= torch.arange(length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);   // [1, L]
        tokenTypeIds ??= torch.zeros_like(inputIds);                                                         // [B, L]
        var embeddings = word_embeddings.forward(inputIds)                                                    // [B, L, E]
                         + position_embeddings.forward(positionIds)
                         + token_type_embeddings.forward(tokenTypeIds);
        return dropout.forward(LayerNorm.forward(embeddings)).MoveToOuterDisposeScope();
    }
}
