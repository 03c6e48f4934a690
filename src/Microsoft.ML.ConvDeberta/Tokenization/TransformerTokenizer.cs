namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>
/// A Hugging Face-compatible tokenizer for one checkpoint: WordPiece (ConvBERT), byte-level BPE (DeBERTa) or
/// SentencePiece (DeBERTa-v2/v3). Produces exactly the ids the Python (slow) tokenizer produces.
/// </summary>
public abstract class TransformerTokenizer
{
    /// <summary>Pad token id (used by <see cref="Pad"/>).</summary>
    public abstract int PadTokenId { get; }
    /// <summary>Classifier token id ([CLS]).</summary>
    public abstract int ClsTokenId { get; }
    /// <summary>Separator token id ([SEP]).</summary>
    public abstract int SepTokenId { get; }
    /// <summary>Mask token id ([MASK]).</summary>
    public abstract int MaskTokenId { get; }
    /// <summary>Unknown token id ([UNK]).</summary>
    public abstract int UnkTokenId { get; }
    /// <summary>Vocabulary size including added tokens.</summary>
    public abstract int VocabularySize { get; }
    /// <summary><c>model_max_length</c> from tokenizer_config.json (int.MaxValue when absent).</summary>
    public abstract int ModelMaxLength { get; }

    /// <summary>Encodes a text, or a pair when <paramref name="textPair"/> is given, with the family's template.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="text"/> is null.</exception>
    public abstract TokenizedText Encode(string text, string? textPair = null, EncodeOptions? options = null);

    /// <summary>Turns ids back into text.</summary>
    public abstract string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false);

    /// <summary>Copies the files needed to recreate this tokenizer into <paramref name="folder"/> (Hugging Face layout).</summary>
    public abstract void SaveTo(string folder);

    /// <summary>
    /// Loads the tokenizer of a Hugging Face checkpoint folder (family detected from its files and configs), or of a Hub
    /// id such as <c>microsoft/deberta-v3-small</c> (downloaded into the shared Hugging Face cache).
    /// </summary>
    /// <param name="folder">A local checkpoint folder or a Hub id.</param>
    public static TransformerTokenizer FromPretrained(string folder) => TokenizerLoader.Load(Hub.CheckpointFolders.Resolve(folder));

    /// <summary>Encodes many texts (or pairs) in parallel on all cores; the result keeps the input order.</summary>
    public virtual TokenizedText[] EncodeBatch(IReadOnlyList<string> texts, IReadOnlyList<string>? textPairs = null, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(texts);
        if (textPairs != null && textPairs.Count != texts.Count)
            throw new ArgumentException($"textPairs has {textPairs.Count} entries but texts has {texts.Count}.", nameof(textPairs));
        var result = new TokenizedText[texts.Count];
        Parallel.For(0, texts.Count, i => result[i] = Encode(texts[i], textPairs?[i], options));
        return result;
    }

    /// <summary>Pads encodings to the longest one (rounded up to <paramref name="padToMultipleOf"/>), right padding.</summary>
    public PaddedBatch Pad(IReadOnlyList<TokenizedText> encodings, int? padToMultipleOf = null)
    {
        ArgumentNullException.ThrowIfNull(encodings);
        int length = encodings.Count == 0 ? 0 : encodings.Max(e => e.Length);
        if (padToMultipleOf is > 1 && length % padToMultipleOf.Value != 0)
            length += padToMultipleOf.Value - length % padToMultipleOf.Value;
        var ids = new long[encodings.Count * length];
        var types = new long[ids.Length];
        var mask = new long[ids.Length];
        Array.Fill(ids, PadTokenId);
        for (int r = 0; r < encodings.Count; r++)
        {
            var e = encodings[r];
            for (int t = 0; t < e.Length; t++)
            {
                ids[r * length + t] = e.InputIds[t];
                types[r * length + t] = e.TokenTypeIds[t];
                mask[r * length + t] = e.AttentionMask[t];
            }
        }
        return new PaddedBatch { Count = encodings.Count, SequenceLength = length, InputIds = ids, TokenTypeIds = types, AttentionMask = mask };
    }
}
