using Microsoft.ML.ConvDeberta.Models.Deberta;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// <c>encoder</c>: the layer stack plus what DeBERTa-v2 shares across layers — the relative-position table
/// <c>rel_embeddings</c> (2·span rows; optionally normalised by <c>LayerNorm</c>) and the nGiE <c>conv</c> branch
/// added after the first layer.
/// </summary>
internal sealed class DebertaV2Encoder : DebertaEncoderStack
{
    private readonly ModuleList<DebertaLayer> layer;
    private readonly Embedding? rel_embeddings;
    private readonly LayerNorm? LayerNorm;
    private readonly ConvLayer? conv;

    private readonly int positionBuckets;
    private readonly int maxRelativePositions;

    public DebertaV2Encoder(DebertaV2Config config) : base(nameof(DebertaV2Encoder))
    {
        layer = new ModuleList<DebertaLayer>(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new DebertaLayer(config, new DisentangledSelfAttention(config))).ToArray());
        if (config.RelativeAttention)
            rel_embeddings = nn.Embedding(config.PositionEmbeddingSpan * 2, config.HiddenSize);
        if (config.NormalizesRelativeEmbeddings)
            LayerNorm = nn.LayerNorm(config.HiddenSize, config.LayerNormEps);
        if (config.ConvKernelSize > 0)
            conv = new ConvLayer(config);
        positionBuckets = config.PositionBuckets;
        maxRelativePositions = config.EffectiveMaxRelativePositions;
        RegisterComponents();
    }

    /// <summary>The relative-embedding table fed to attention [2·span, H] (after LayerNorm when norm_rel_ebd has layer_norm), or null.</summary>
    private Tensor? RelativeEmbeddings()
    {
        if (rel_embeddings is null) return null;
        var table = rel_embeddings.weight!;
        return LayerNorm is null ? table.alias() : LayerNorm.forward(table);
    }

    /// <param name="embeddings">(b, l, H) embedding output</param>
    /// <param name="mask">(b, l) 1 = token, 0 = padding</param>
    public override Result forward(Tensor embeddings, Tensor mask)
    {
        long length = embeddings.size(1);
        // Relative positions (1, l, l), log-bucketed when position_buckets > 0; null without relative attention.
        var relativePos = rel_embeddings is null ? null : RelativePositions.Build(length, length, positionBuckets, maxRelativePositions, embeddings.device);
        var relEmbeddings = RelativeEmbeddings();                                       // (2k, H)
        var pairMask = PairMask(mask);                                                  // (b, 1, l, l)

        var hiddenStates = new List<Tensor>();
        var attentions = new List<Tensor>();
        if (Outputs.HiddenStates) hiddenStates.Add(embeddings);
        var current = embeddings;
        for (int i = 0; i < layer.Count; i++)
        {
            var (output, probabilities) = layer[i].forward(current, pairMask, relativePos, relEmbeddings);  // (b, l, H)
            if (i == 0 && conv is not null) output = conv.Forward(embeddings, output, mask);
            if (Outputs.HiddenStates) hiddenStates.Add(output);
            if (Outputs.Attentions) attentions.Add(probabilities);
            else probabilities.Dispose();
            current = output;
        }
        return new Result(current, hiddenStates, attentions, relativePos, relEmbeddings);
    }
}
