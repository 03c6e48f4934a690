using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Models.ConvBert;

/// <summary>
/// Hugging Face <c>ConvBertModel</c>: <c>embeddings</c> (width embedding_size), <c>embeddings_project</c> (Linear to
/// hidden_size, only when embedding_size ≠ hidden_size) and <c>encoder.layer.N</c>. Only keys are masked: padded
/// query positions are computed like real ones and the convolutions read pad embeddings.
/// </summary>
internal sealed class ConvBertModel : TransformerEncoder
{
    public readonly ConvBertEmbeddings embeddings;
    public readonly Linear? embeddings_project;
    public readonly ConvBertEncoder encoder;
    private readonly ConvBertConfig config;

    public ConvBertModel(ConvBertConfig config) : base(nameof(ConvBertModel))
    {
        config.Validate();
        this.config = config;
        embeddings = new ConvBertEmbeddings(config);
        if (config.EmbeddingSize != config.HiddenSize)
            embeddings_project = nn.Linear(config.EmbeddingSize, config.HiddenSize);
        encoder = new ConvBertEncoder(config);
        RegisterComponents();
    }

    /// <inheritdoc/>
    public override PretrainedConfig Config => config;

    /// <inheritdoc/>
    public override Embedding WordEmbeddings => embeddings.word_embeddings;

    /// <summary>Runs the encoder on [B, L] inputs.</summary>
    public override EncoderOutput forward(ModelInputs inputs)
    {
        using var scope = NewDisposeScope();
        var ids = inputs.InputIds;
        if (ids.dim() != 2)
            throw new ArgumentException($"ConvBertModel expects input_ids of shape [batch, length]; got [{string.Join(", ", ids.shape)}].", nameof(inputs));
        if (inputs.PositionIds is null && ids.size(1) > config.MaxPositionEmbeddings)
            throw new ArgumentException(
                $"The input has {ids.size(1)} tokens but this ConvBERT model has {config.MaxPositionEmbeddings} positions (max_position_embeddings); truncate the input to at most that many tokens.", nameof(inputs));
        var hidden = embeddings.forward(ids, inputs.TokenTypeIds, inputs.PositionIds);   // [B, L, E]
        if (embeddings_project is not null) hidden = embeddings_project.forward(hidden);  // [B, L, H]
        var additiveMask = AdditiveKeyMask(inputs.AttentionMask, ids, hidden.dtype);      // [B, 1, 1, L]

        var hiddenStates = new List<Tensor>();
        var attentions = new List<Tensor>();
        foreach (var layer in encoder.layer)
        {
            if (Outputs.HiddenStates) hiddenStates.Add(hidden);
            var (next, probabilities) = layer.forward(hidden, additiveMask);              // [B, L, H], [B, heads, L, L]
            if (Outputs.Attentions) attentions.Add(probabilities);
            hidden = next;
        }
        if (Outputs.HiddenStates) hiddenStates.Add(hidden);

        foreach (var t in hiddenStates.Concat(attentions).Append(hidden).Distinct(ReferenceEqualityComparer.Instance))
            ((Tensor)t!).MoveToOuterDisposeScope();
        return new EncoderOutput { LastHiddenState = hidden, HiddenStates = hiddenStates, Attentions = attentions };
    }

    /// <summary>
    /// Hugging Face's <c>get_extended_attention_mask</c>: (1 − mask) · finfo(dtype).min, added to the attention scores
    /// so padded keys get no weight. A missing mask means every position is real.
    /// </summary>
    private static Tensor AdditiveKeyMask(Tensor? attentionMask, Tensor inputIds, ScalarType dtype)
    {
        var mask = attentionMask?.to(dtype) ?? torch.ones(inputIds.shape, dtype, inputIds.device);   // [B, L]
        return (1.0 - mask.unsqueeze(1).unsqueeze(2)) * MinValue(dtype);                            // [B, 1, 1, L]
    }

    private static double MinValue(ScalarType dtype) => dtype switch
    {
        ScalarType.Float32 => float.MinValue,
        ScalarType.Float64 => double.MinValue,
        ScalarType.BFloat16 => -3.3895313892515355e38,
        ScalarType.Float16 => -65504.0,
        _ => throw new NotSupportedException($"ConvBERT runs in a floating-point dtype; the embeddings are {dtype}."),
    };
}

/// <summary>Hugging Face <c>ConvBertEncoder</c>: the stack of layers, key <c>layer.N</c>.</summary>
internal sealed class ConvBertEncoder : nn.Module
{
    public readonly ModuleList<ConvBertLayer> layer;

    public ConvBertEncoder(ConvBertConfig config) : base(nameof(ConvBertEncoder))
    {
        layer = nn.ModuleList(Enumerable.Range(0, config.NumHiddenLayers).Select(_ => new ConvBertLayer(config)).ToArray());
        RegisterComponents();
    }
}
