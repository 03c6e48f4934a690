using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// <c>encoder.*</c>: the stack of <c>layer.N</c> and, with relative attention, the shared relative-position table
/// <c>rel_embeddings</c> (2·max_relative_positions rows) that every layer projects with its own pos_proj / pos_q_proj.
/// </summary>
internal sealed class DebertaEncoder : DebertaEncoderStack
{
    private readonly ModuleList<DebertaLayer> layer;
    private readonly Embedding? rel_embeddings;

    public DebertaEncoder(DebertaConfig config) : base(nameof(DebertaEncoder))
    {
        layer = new ModuleList<DebertaLayer>();
        for (int i = 0; i < config.NumHiddenLayers; i++) layer.Add(new DebertaLayer(config, new DisentangledSelfAttention(config)));
        if (config.RelativeAttention) rel_embeddings = nn.Embedding(2L * config.EffectiveMaxRelativePositions, config.HiddenSize);
        RegisterComponents();
    }

    /// <param name="embeddings">(b, l, h) embedding output</param>
    /// <param name="attentionMask">(b, l) 1 = token, 0 = padding</param>
    public override Result forward(Tensor embeddings, Tensor attentionMask)
    {
        var pairMask = PairMask(attentionMask);                                               // (b, 1, l, l)
        long length = embeddings.size(1);
        var relativePositions = rel_embeddings is null ? null : RelativePositions.Build(length, length, embeddings.device); // (1, l, l)
        var table = rel_embeddings?.weight;                                                   // (2·max, h)

        var hiddenStates = new List<Tensor>();
        var attentions = new List<Tensor>();
        if (Outputs.HiddenStates) hiddenStates.Add(embeddings);
        var hidden = embeddings;
        foreach (var block in layer)
        {
            var (next, probabilities) = block.forward(hidden, pairMask, relativePositions, table);
            if (Outputs.HiddenStates) hiddenStates.Add(next);
            if (Outputs.Attentions) attentions.Add(probabilities);
            else probabilities.Dispose();
            hidden = next;
        }
        return new Result(hidden, hiddenStates, attentions, relativePositions, table);
    }
}
