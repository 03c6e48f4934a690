using Microsoft.ML.ConvDeberta.Models.Deberta;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.DebertaV2;

/// <summary>
/// Hugging Face <c>DebertaV2Model</c> (also DeBERTa-v3): <c>embeddings</c> → <c>encoder</c>. The attention mask
/// defaults to all ones and token types to zeros; outputs beyond the last hidden state are collected as
/// <see cref="TransformerEncoder.Outputs"/> asks (Debug: "relative_pos", "rel_embeddings").
/// </summary>
internal sealed class DebertaV2Model : TransformerEncoder
{
    private readonly DebertaEmbeddings embeddings;
    private readonly DebertaV2Encoder encoder;
    private readonly DebertaV2Config config;

    public DebertaV2Model(DebertaV2Config config) : base(nameof(DebertaV2Model))
    {
        config.Validate();
        this.config = config;
        embeddings = new DebertaEmbeddings(config, config.EffectiveEmbeddingSize, config.PositionBiasedInput);
        encoder = new DebertaV2Encoder(config);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override PretrainedConfig Config => config;

    /// <inheritdoc/>
    public override Embedding WordEmbeddings => embeddings.WordEmbeddings;

    /// <summary>inputs.InputIds [B, L] → last hidden state [B, L, H] (+ hidden states, attentions, debug tensors on request).</summary>
    public override EncoderOutput forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var ids = inputs.InputIds;                                                    // (b, l)
        if (ids.dim() != 2)
            throw new ArgumentException($"input_ids must be [batch, length]; got [{string.Join(", ", ids.shape)}].", nameof(inputs));
        var mask = inputs.AttentionMask ?? torch.ones_like(ids);                     // (b, l)
        var embedded = embeddings.forward(ids, inputs.TokenTypeIds, inputs.PositionIds, mask);   // (b, l, H)
        var relativePos = encoder.RelativePositionsFor(ids.size(1), ids.device);     // (1, l, l)
        var relEmbeddings = encoder.RelativeEmbeddings();                             // (2k, H)
        var (hidden, attentions) = encoder.Forward(embedded, mask, relativePos, relEmbeddings);

        var outputs = Outputs;
        var debug = new Dictionary<string, Tensor>();
        if (outputs.Debug && relativePos is not null) debug["relative_pos"] = relativePos;
        if (outputs.Debug && relEmbeddings is not null) debug["rel_embeddings"] = relEmbeddings;
        var allHidden = outputs.HiddenStates ? [embedded, .. hidden] : new List<Tensor>();
        var allAttentions = outputs.Attentions ? attentions : [];
        var result = new EncoderOutput { LastHiddenState = hidden[^1], HiddenStates = allHidden, Attentions = allAttentions, Debug = debug };
        var kept = new HashSet<Tensor>(ReferenceEqualityComparer.Instance) { result.LastHiddenState };
        kept.UnionWith(allHidden);
        kept.UnionWith(allAttentions);
        kept.UnionWith(debug.Values);
        scope.MoveToOuter(kept);
        return result;
    }
}
