using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// <c>embeddings</c>: word embeddings (+ absolute positions when position_biased_input, + token types when
/// type_vocab_size &gt; 0) → <c>embed_proj</c> when embedding_size ≠ hidden_size → LayerNorm → × mask → dropout.
/// Released v2/v3 checkpoints have neither absolute positions nor token types: position enters only through
/// the relative attention.
/// </summary>
internal sealed class DebertaV2Embeddings : nn.Module
{
    private readonly Embedding word_embeddings;
    private readonly Embedding? position_embeddings;
    private readonly Embedding? token_type_embeddings;
    private readonly Linear? embed_proj;
    private readonly LayerNorm LayerNorm;
    private readonly Dropout dropout;

    public DebertaV2Embeddings(DebertaV2Config config) : base(nameof(DebertaV2Embeddings))
    {
        int width = config.EffectiveEmbeddingSize;
        word_embeddings = nn.Embedding(config.VocabSize, width, padding_idx: config.PadTokenId);
        if (config.PositionBiasedInput) position_embeddings = nn.Embedding(config.MaxPositionEmbeddings, width);
        if (config.TypeVocabSize > 0) token_type_embeddings = nn.Embedding(config.TypeVocabSize, width);
        if (width != config.HiddenSize) embed_proj = nn.Linear(width, config.HiddenSize, hasBias: false);
        LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        dropout = nn.Dropout(config.HiddenDropoutProb);
        RegisterComponents();
    }

    /// <summary>The input word embeddings (masked-LM decoders tie to them).</summary>
    public Embedding WordEmbeddings => word_embeddings;

    /// <summary>
    /// ids [B, L]; typeIds [B, L] or null (zeros); positionIds [B or 1, L] or null (0..L-1); mask [B, L] (1 = real).
    /// Returns [B, L, H].
    /// </summary>
    public Tensor Forward(Tensor ids, Tensor? typeIds, Tensor? positionIds, Tensor mask)
    {
        using var scope = NewDisposeScope();
        var embeddings = word_embeddings.forward(ids);                                         // (b, l, E)
        if (position_embeddings is not null)
        {
            if (ids.size(1) > position_embeddings.weight!.size(0))
                throw new ArgumentException(
                    $"Input length {ids.size(1)} exceeds max_position_embeddings ({position_embeddings.weight!.size(0)}) of this position_biased_input model; truncate the input.");
            positionIds ??= torch.arange(ids.size(1), dtype: ScalarType.Int64, device: ids.device).unsqueeze(0);
            embeddings = embeddings + position_embeddings.forward(positionIds.to(ScalarType.Int64));
        }
        if (token_type_embeddings is not null)
        {
            typeIds ??= torch.zeros_like(ids);
            embeddings = embeddings + token_type_embeddings.forward(typeIds);
        }
        if (embed_proj is not null) embeddings = embed_proj.forward(embeddings);              // (b, l, H)
        embeddings = LayerNorm.forward(embeddings);
        embeddings = embeddings * mask.unsqueeze(2).to(embeddings.dtype);                    // padded rows → 0
        return dropout.forward(embeddings).MoveToOuterDisposeScope();
    }
}
