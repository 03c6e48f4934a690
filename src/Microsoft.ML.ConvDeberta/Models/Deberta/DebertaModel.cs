using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.Deberta;

/// <summary>
/// The bare DeBERTa encoder of both families (Hugging Face <c>DebertaModel</c> and <c>DebertaV2Model</c>, the same code
/// around a different layer stack): <c>embeddings</c> → <c>encoder</c>. With <see cref="OutputOptions.Debug"/> it also
/// returns "relative_pos" (1, l, l) int64 and "rel_embeddings" (the table fed to attention).
/// </summary>
internal sealed class DebertaModel : TransformerEncoder
{
    private readonly DebertaEmbeddings embeddings;
    private readonly DebertaEncoderStack encoder;
    private readonly PretrainedConfig config;

    /// <param name="config">The validated family config.</param>
    /// <param name="embeddings">The embeddings, built before the encoder (as in Hugging Face, so a seed gives the same weights).</param>
    /// <param name="encoder">The family's layer stack (<see cref="DebertaEncoder"/> or <see cref="DebertaV2.DebertaV2Encoder"/>).</param>
    public DebertaModel(PretrainedConfig config, DebertaEmbeddings embeddings, DebertaEncoderStack encoder) : base(nameof(DebertaModel))
    {
        this.config = config;
        this.embeddings = embeddings;
        this.encoder = encoder;
        RegisterComponents();
    }

    public override PretrainedConfig Config => config;

    public override Embedding WordEmbeddings => embeddings.WordEmbeddings;

    /// <summary>Inputs [B, L]; missing mask = all ones, missing token types = zeros, missing positions = 0..L-1.</summary>
    public override EncoderOutput forward(ModelInputs inputs)
    {
        var ids = inputs.InputIds;
        if (ids.dim() != 2)
            throw new ArgumentException($"input_ids must be [batch, length] (got [{string.Join(", ", ids.shape)}]).", nameof(inputs));
        if (inputs.AttentionMask is { } given && !given.shape.SequenceEqual(ids.shape))
            throw new ArgumentException(
                $"attention_mask must have the shape of input_ids [{string.Join(", ", ids.shape)}] (got [{string.Join(", ", given.shape)}]).", nameof(inputs));
        using var scope = NewDisposeScope();
        var mask = inputs.AttentionMask ?? torch.ones_like(ids);                                       // (b, l)
        var embedded = embeddings.forward(ids, inputs.TokenTypeIds, inputs.PositionIds, mask);          // (b, l, h)
        encoder.Outputs = Outputs;
        var result = encoder.forward(embedded, mask);

        var debug = new Dictionary<string, Tensor>();
        if (Outputs.Debug && result.RelativePositions is not null && result.RelEmbeddings is not null)
        {
            debug["relative_pos"] = result.RelativePositions.MoveToOuterDisposeScope();
            debug["rel_embeddings"] = result.RelEmbeddings.detach().MoveToOuterDisposeScope();
        }
        return new EncoderOutput
        {
            LastHiddenState = result.LastHiddenState.MoveToOuterDisposeScope(),
            HiddenStates = result.HiddenStates.Select(t => t.MoveToOuterDisposeScope()).ToList(),
            Attentions = result.Attentions.Select(t => t.MoveToOuterDisposeScope()).ToList(),
            Debug = debug,
        };
    }
}
