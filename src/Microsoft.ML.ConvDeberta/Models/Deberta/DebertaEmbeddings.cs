using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>embeddings.*</c> of DeBERTa and DeBERTa-v2/v3 (Hugging Face's DebertaEmbeddings / DebertaV2Embeddings, the same
/// code): word embeddings (+ absolute positions when <c>position_biased_input</c>, + token types when
/// <c>type_vocab_size</c> &gt; 0) → <c>embed_proj</c> when embedding_size ≠ hidden_size → LayerNorm → × mask → dropout.
/// Zeroing padded positions is DeBERTa's own step; later layers still see those rows (they attend uniformly).
/// Released checkpoints have neither absolute positions nor token types: position enters through relative attention.
/// </summary>
internal sealed class DebertaEmbeddings : nn.Module<Tensor, Tensor?, Tensor?, Tensor, Tensor>
{
    private readonly Embedding word_embeddings;
    private readonly Embedding? position_embeddings;
    private readonly Embedding? token_type_embeddings;
    private readonly Linear? embed_proj;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    /// <param name="config">Sizes, pad_token_id, layer_norm_eps and hidden_dropout_prob.</param>
    /// <param name="embeddingSize">Word-embedding width (<c>embedding_size</c> resolved to hidden_size when absent).</param>
    /// <param name="positionBiasedInput"><c>position_biased_input</c>: whether absolute position embeddings exist.</param>
    public DebertaEmbeddings(PretrainedConfig config, int embeddingSize, bool positionBiasedInput) : base(nameof(DebertaEmbeddings))
    {
        word_embeddings = nn.Embedding(config.VocabSize, embeddingSize, padding_idx: config.PadTokenId);
        if (positionBiasedInput) position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, embeddingSize);
        if (config.TypeVocabSize > 0) token_type_embeddings = nn.Embedding(config.TypeVocabSize, embeddingSize);
        if (embeddingSize != config.HiddenSize) embed_proj = nn.Linear(embeddingSize, config.HiddenSize, hasBias: false);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>The word embedding table (masked-LM decoders are tied to it).</summary>
    public Embedding WordEmbeddings => word_embeddings;

    /// <param name="inputIds">(b, l) int64</param>
    /// <param name="tokenTypeIds">(b, l) int64 or null (all zeros)</param>
    /// <param name="positionIds">(b, l) or (1, l) int64 or null (0..l-1)</param>
    /// <param name="mask">(b, l) 1 = token, 0 = padding</param>
    /// <returns>(b, l, hidden)</returns>
    public override Tensor forward(Tensor inputIds, Tensor? tokenTypeIds, Tensor? positionIds, Tensor mask)
    {
        using var scope = NewDisposeScope();
        long length = inputIds.size(1);
        var embeddings = word_embeddings.forward(inputIds);                                      // (b, l, e)
        if (position_embeddings is not null)
        {
            if (length > position_embeddings.weight!.size(0))
                throw new ArgumentException(
                    $"Input length {length} exceeds max_position_embeddings ({position_embeddings.weight!.size(0)}) of this position_biased_input model; truncate the input.");
            var positions = positionIds ?? torch.arange(length, dtype: ScalarType.Int64, device: inputIds.device).unsqueeze(0);
            embeddings = embeddings + position_embeddings.forward(positions.to(ScalarType.Int64));  // (b, l, e)
        }
        if (token_type_embeddings is not null)
        {
            var types = tokenTypeIds ?? torch.zeros_like(inputIds);
            embeddings = embeddings + token_type_embeddings.forward(types);                      // (b, l, e)
        }
        if (embed_proj is not null) embeddings = embed_proj.forward(embeddings);                 // (b, l, h)
        embeddings = LayerNorm.forward(embeddings);
        embeddings = embeddings * mask.unsqueeze(2).to(embeddings.dtype);                        // padded rows → 0
        return dropout.forward(embeddings).MoveToOuterDisposeScope();
    }
}
