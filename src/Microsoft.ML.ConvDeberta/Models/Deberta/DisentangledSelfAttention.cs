using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// DeBERTa's disentangled self-attention (<c>attention.self.*</c>), the paper's central idea. The score of query i and
/// key j adds three terms, each a dot product of a content vector and a content or relative-position vector:
/// <code>
///   c2c(i, j) = Q_i · K_j             content → content
///   c2p(i, j) = Q_i · Kr[δ]           content → position   (Kr = pos_proj(rel_embeddings))
///   p2c(i, j) = K_j · Qr[δ]           position → content   (Qr = pos_q_proj(rel_embeddings))
/// </code>
/// where δ = i − j clamped to [−k, k − 1] for the attention span k (<see cref="RelativePositions"/>), the sum being
/// divided by √(d · (1 + |pos_att_type|)). Q, K, V come from one fused
/// projection <c>in_proj</c> (no bias) split per head; <c>q_bias</c> and <c>v_bias</c> are added afterwards.
/// Masked (query, key) pairs get the dtype's minimum (float32: −3.4e38) before the softmax, so a padded query row attends uniformly to
/// every position, exactly like Hugging Face.
/// </summary>
internal sealed class DisentangledSelfAttention : nn.Module<Tensor, Tensor, Tensor?, Tensor?, (Tensor Context, Tensor Probabilities)>
{
    private readonly Parameter q_bias;
    private readonly Parameter v_bias;
    private readonly Linear in_proj;
    private readonly Linear? pos_proj;
    private readonly Linear? pos_q_proj;
    private readonly Dropout pos_dropout;
    private readonly Dropout dropout;

    private readonly int heads;
    private readonly int headSize;
    private readonly float scale;
    private readonly int maxRelativePositions;

    public DisentangledSelfAttention(DebertaConfig config) : base(nameof(DisentangledSelfAttention))
    {
        heads = config.NumAttentionHeads;
        headSize = config.HiddenSize / heads;
        int allHeads = heads * headSize;
        maxRelativePositions = config.EffectiveMaxRelativePositions;
        // Hugging Face counts every pos_att_type entry, even when relative_attention is off.
        scale = MathF.Sqrt(headSize * (1 + config.PositionTerms.Count));

        q_bias = new Parameter(torch.zeros(allHeads));
        v_bias = new Parameter(torch.zeros(allHeads));
        in_proj = nn.Linear(config.HiddenSize, 3 * allHeads, hasBias: false);
        if (config.HasC2P) pos_proj = nn.Linear(config.HiddenSize, allHeads, hasBias: false);
        if (config.HasP2C) pos_q_proj = nn.Linear(config.HiddenSize, allHeads);
        pos_dropout = nn.Dropout(config.HiddenDropoutProb);
        dropout = nn.Dropout(config.AttentionProbsDropoutProb);
        RegisterComponents();
    }

    /// <param name="hidden">(b, l, h)</param>
    /// <param name="mask">(b, 1, l, l), nonzero = the query may attend to the key</param>
    /// <param name="relativePositions">(1, l, l) int64 δ(i, j) = i − j, or null without relative attention</param>
    /// <param name="relEmbeddings">(2·max_relative_positions, h) table, or null without relative attention</param>
    /// <returns>Context (b, l, h) and attention probabilities (b, heads, l, l).</returns>
    public override (Tensor Context, Tensor Probabilities) forward(Tensor hidden, Tensor mask, Tensor? relativePositions, Tensor? relEmbeddings)
    {
        using var scope = NewDisposeScope();
        // Fused projection, split per head: each head's 3·d slice holds its q, k and v.
        var qkv = SplitHeads(in_proj.forward(hidden)).chunk(3, -1);          // 3 × (b, heads, l, d)
        var query = qkv[0] + SplitHeads(q_bias.view(1, 1, -1));              // (b, heads, l, d)
        var key = qkv[1];                                                    // (b, heads, l, d)
        var value = qkv[2] + SplitHeads(v_bias.view(1, 1, -1));              // (b, heads, l, d)

        var scaleTensor = torch.tensor(scale, dtype: query.dtype, device: query.device);
        query = query / scaleTensor;
        var scores = torch.matmul(query, key.transpose(-1, -2));             // (b, heads, l, l) c2c
        if (relativePositions is not null && relEmbeddings is not null
            && RelativeScores(query, key, relativePositions, pos_dropout.forward(relEmbeddings), scaleTensor) is { } relative)
            scores = scores + relative;                                      // + (c2p + p2c)

        scores = scores.masked_fill(mask.logical_not(), torch.finfo(scores.dtype).min); // masked pairs → dtype's min
        var probabilities = nn.functional.softmax(scores, -1);               // (b, heads, l, l)
        var context = torch.matmul(dropout.forward(probabilities), value);   // (b, heads, l, d)
        context = context.permute(0, 2, 1, 3).contiguous();                  // (b, l, heads, d)
        context = context.view(context.size(0), context.size(1), -1);        // (b, l, h)
        return (context.MoveToOuterDisposeScope(), probabilities.MoveToOuterDisposeScope());
    }

    /// <summary>c2p + p2c for scaled queries and unscaled keys: (b, heads, l, l); null when no term is configured.</summary>
    private Tensor? RelativeScores(Tensor query, Tensor key, Tensor relativePositions, Tensor relEmbeddings, Tensor scaleTensor)
    {
        long queryLength = query.size(-2), keyLength = key.size(-2);
        long span = RelativePositions.AttentionSpan(queryLength, keyLength, maxRelativePositions);
        var relative = relativePositions.to(ScalarType.Int64).unsqueeze(1);          // (1, 1, q, k)
        var table = relEmbeddings.narrow(0, maxRelativePositions - span, 2 * span).unsqueeze(0); // (1, 2s, h)
        long[] expanded = [query.size(0), query.size(1), queryLength, keyLength];
        Tensor? score = null;

        if (pos_proj is not null)
        {
            var posKey = SplitHeads(pos_proj.forward(table));                         // (1, heads, 2s, d)
            var c2p = torch.matmul(query, posKey.transpose(-1, -2));                  // (b, heads, q, 2s)
            var index = (relative + span).clamp(0, 2 * span - 1).expand(expanded);   // (b, heads, q, k)
            score = c2p.gather(-1, index);                                            // (b, heads, q, k)
        }
        if (pos_q_proj is not null)
        {
            if (queryLength != keyLength)
                throw new ArgumentException($"p2c attention needs equal query and key lengths (got {queryLength} and {keyLength}).");
            var posQuery = SplitHeads(pos_q_proj.forward(table)) / scaleTensor;       // (1, heads, 2s, d)
            var p2c = torch.matmul(key, posQuery.transpose(-1, -2));                  // (b, heads, k, 2s)
            var index = (-relative + span).clamp(0, 2 * span - 1).expand(expanded);  // (b, heads, k, k)
            var term = p2c.gather(-1, index).transpose(-1, -2);                       // (b, heads, q, k)
            score = score is null ? term : score + term;
        }
        return score;
    }

    // (b, l, heads·x) → (b, heads, l, x)
    private Tensor SplitHeads(Tensor x) => x.view(x.size(0), x.size(1), heads, -1).permute(0, 2, 1, 3);
}
