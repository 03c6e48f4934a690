using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// DeBERTa-v2's disentangled self-attention (<c>attention.self</c>). Scores are the sum of
/// content→content (Q·Kᵀ), content→position (Q·K_rᵀ gathered at δ(i, j), "c2p") and position→content
/// (K·Q_rᵀ gathered at δ(j, i), "p2c"), each divided by √(head_size · (1 + number of relative terms)).
/// The relative projections reuse query_proj/key_proj when share_att_key, else pos_query_proj/pos_key_proj.
/// Masking: scores of any (query, key) pair where either side is padding are filled with the dtype's lowest value before
/// the softmax, so a padded query row attends uniformly to every position (reference behaviour, kept as is).
/// </summary>
internal sealed class DisentangledSelfAttention : nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Context, Tensor Probabilities)>
{
    private readonly Linear query_proj;
    private readonly Linear key_proj;
    private readonly Linear value_proj;
    private readonly Linear? pos_key_proj;
    private readonly Linear? pos_query_proj;
    private readonly Dropout pos_dropout;
    private readonly Dropout dropout;

    private readonly int heads;
    private readonly bool relativeAttention;
    private readonly bool c2p;
    private readonly bool p2c;
    private readonly int attentionSpan;      // rows per direction of the relative table (buckets or max distance)
    private readonly int scaleFactor;        // 1 + number of relative terms

    public DisentangledSelfAttention(DebertaV2Config config) : base(nameof(DisentangledSelfAttention))
    {
        heads = config.NumAttentionHeads;
        int allHeads = heads * config.EffectiveAttentionHeadSize;
        query_proj = nn.Linear(config.HiddenSize, allHeads);
        key_proj = nn.Linear(config.HiddenSize, allHeads);
        value_proj = nn.Linear(config.HiddenSize, allHeads);
        relativeAttention = config.RelativeAttention;
        c2p = config.UsesC2P;
        p2c = config.UsesP2C;
        scaleFactor = 1 + (c2p ? 1 : 0) + (p2c ? 1 : 0);
        attentionSpan = config.PositionEmbeddingSpan;
        if (relativeAttention && !config.ShareAttKey)
        {
            if (c2p) pos_key_proj = nn.Linear(config.HiddenSize, allHeads);
            if (p2c) pos_query_proj = nn.Linear(config.HiddenSize, allHeads);
        }
        pos_dropout = nn.Dropout(config.HiddenDropoutProb);
        dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        RegisterComponents();
    }

    /// <summary>
    /// hidden: [B, L, H]; mask: bool [B, 1, L, L] (true where query and key are both real);
    /// relativePos: int64 [1, L, L]; relEmbeddings: [2·span, H]. Returns the context [B, L, heads·d] and the
    /// attention probabilities [B, heads, L, L].
    /// </summary>
    public override (Tensor Context, Tensor Probabilities) forward(Tensor hidden, Tensor mask, Tensor? relativePos, Tensor? relEmbeddings)
    {
        using var scope = NewDisposeScope();
        var query = SplitHeads(query_proj.forward(hidden));                   // (b·h, l, d)
        var key = SplitHeads(key_proj.forward(hidden));                       // (b·h, l, d)
        var value = SplitHeads(value_proj.forward(hidden));                   // (b·h, l, d)

        var scale = Scale(query.size(-1));
        var scores = torch.bmm(query, key.transpose(-1, -2) / scale.to(query.dtype));   // (b·h, l, l)
        if (relativeAttention && (c2p || p2c))
        {
            if (relativePos is null || relEmbeddings is null)
                throw new InvalidOperationException("relative_attention is on but the encoder passed no relative positions or embeddings.");
            scores = scores + RelativeBias(query, key, relativePos, pos_dropout.forward(relEmbeddings));
        }
        scores = scores.view(-1, heads, scores.size(-2), scores.size(-1));    // (b, h, l, l)
        scores = scores.masked_fill(mask.logical_not(), torch.finfo(scores.dtype).min);   // the dtype's lowest value, as the reference
        var probabilities = nn.functional.softmax(scores, -1);                // (b, h, l, l)

        var attended = dropout.forward(probabilities);
        var context = torch.bmm(attended.view(-1, attended.size(-2), attended.size(-1)), value);  // (b·h, l, d)
        context = context.view(-1, heads, context.size(-2), context.size(-1)).permute(0, 2, 1, 3).contiguous();  // (b, l, h, d)
        context = context.view(context.size(0), context.size(1), -1);         // (b, l, h·d)
        return (context.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    /// <summary>c2p + p2c scores [b·h, l, l] from the relative embedding table.</summary>
    private Tensor RelativeBias(Tensor query, Tensor key, Tensor relativePos, Tensor relEmbeddings)
    {
        long batchHeads = query.size(0), length = query.size(1), keyLength = key.size(1);
        int repeat = (int)(batchHeads / heads);
        var table = relEmbeddings[..(attentionSpan * 2)].unsqueeze(0);       // (1, 2k, H)
        var position = relativePos.to(ScalarType.Int64);                      // (1, l, l)
        Tensor? score = null;

        if (c2p)
        {
            var posKey = SplitHeads((pos_key_proj ?? key_proj).forward(table)).repeat(repeat, 1, 1);   // (b·h, 2k, d)
            var c2pScores = torch.bmm(query, posKey.transpose(-1, -2));                                  // (b·h, l, 2k)
            var index = (position + attentionSpan).clamp(0, attentionSpan * 2 - 1).expand(batchHeads, length, keyLength);
            score = c2pScores.gather(-1, index) / Scale(posKey.size(-1)).to(c2pScores.dtype);            // (b·h, l, l)
        }
        if (p2c)
        {
            var posQuery = SplitHeads((pos_query_proj ?? query_proj).forward(table)).repeat(repeat, 1, 1); // (b·h, 2k, d)
            var p2cScores = torch.bmm(key, posQuery.transpose(-1, -2));                                   // (b·h, l, 2k)
            var index = (-position + attentionSpan).clamp(0, attentionSpan * 2 - 1).expand(batchHeads, keyLength, keyLength);
            var term = p2cScores.gather(-1, index).transpose(-1, -2) / Scale(posQuery.size(-1)).to(p2cScores.dtype);  // (b·h, l, l)
            score = score is null ? term : score + term;
        }
        return score!;
    }

    /// <summary>[b, l, h·d] → [b·h, l, d].</summary>
    private Tensor SplitHeads(Tensor x)
    {
        var split = x.view(x.size(0), x.size(1), heads, -1);                  // (b, l, h, d)
        return split.permute(0, 2, 1, 3).contiguous().view(-1, x.size(1), split.size(-1));
    }

    /// <summary>√(d · scale_factor) as a float32 scalar, as the reference computes it (callers cast it to the scores' dtype, as the reference does).</summary>
    private Tensor Scale(long headSize) => torch.sqrt(torch.tensor((float)(headSize * scaleFactor)));
}
