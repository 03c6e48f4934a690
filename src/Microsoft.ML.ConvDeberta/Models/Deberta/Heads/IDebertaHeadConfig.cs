namespace Microsoft.ML.ConvDeberta.Models.Deberta.Heads;

/// <summary>
/// The config keys the DeBERTa task heads read beyond <see cref="PretrainedConfig"/>. DeBERTa (v1) and DeBERTa-v2
/// configs both implement it, so the heads in this folder serve both families unchanged.
/// </summary>
internal interface IDebertaHeadConfig
{
    /// <summary>Word-embedding width (<c>embedding_size</c>, resolved to hidden_size when absent).</summary>
    int EmbeddingSize { get; }

    /// <summary><c>pooler_hidden_size</c>, resolved to hidden_size when absent.</summary>
    int PoolerHiddenSize { get; }

    /// <summary><c>pooler_dropout</c>.</summary>
    double PoolerDropout { get; }

    /// <summary><c>pooler_hidden_act</c>.</summary>
    string PoolerHiddenAct { get; }

    /// <summary><c>cls_dropout</c>; null means hidden_dropout_prob.</summary>
    double? ClsDropout { get; }

    /// <summary><c>legacy</c>: which masked-LM head layout to build.</summary>
    bool Legacy { get; }
}

/// <summary>Reads the DeBERTa head settings from an encoder's config.</summary>
internal static class DebertaHeadConfig
{
    /// <summary>The encoder's config as <see cref="IDebertaHeadConfig"/>; throws when the family's config does not provide it.</summary>
    public static IDebertaHeadConfig Of(TransformerEncoder encoder) =>
        encoder.Config as IDebertaHeadConfig
        ?? throw new ArgumentException(
            $"DeBERTa task heads need a config implementing {nameof(IDebertaHeadConfig)}; {encoder.Config.GetType().Name} does not.", nameof(encoder));

    /// <summary>Dropout in front of the classifier (<c>cls_dropout</c>, else hidden_dropout_prob), as Hugging Face resolves it.</summary>
    public static double ClassifierDropout(TransformerEncoder encoder) =>
        Of(encoder).ClsDropout ?? encoder.Config.HiddenDropoutProb;
}
