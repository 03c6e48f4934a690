using Microsoft.ML.ConvDeberta.Models.Heads;

namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>Builds the <see cref="ContextPooler"/> of the DeBERTa classification heads from the encoder's config.</summary>
internal static class DebertaPooling
{
    /// <summary>
    /// <c>pooler.dense</c> is pooler_hidden_size × pooler_hidden_size in Hugging Face and reads the hidden state, so the
    /// two sizes must agree for a head to run; the classifier then reads hidden_size features.
    /// </summary>
    public static ContextPooler CreatePooler(TransformerEncoder encoder)
    {
        var heads = DebertaHeadConfig.Of(encoder);
        int hidden = encoder.Config.HiddenSize;
        if (heads.PoolerHiddenSize != hidden)
            throw new InvalidDataException(
                $"config.json ({encoder.Config.ModelType}): 'pooler_hidden_size' ({heads.PoolerHiddenSize}) must equal hidden_size ({hidden}) " +
                "for classification heads (the pooler reads the hidden state and the classifier reads hidden_size features); remove the key or set it to hidden_size.");
        return new ContextPooler(hidden, hidden, heads.PoolerDropout, heads.PoolerHiddenAct);
    }
}
