namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>The three tokenizer families of the supported checkpoints.</summary>
internal enum TokenizerFamily
{
    /// <summary>BERT basic tokenization + WordPiece (vocab.txt): ConvBERT, BERT.</summary>
    WordPiece,
    /// <summary>GPT-2 byte-level BPE (vocab.json + merges.txt): DeBERTa v1.</summary>
    ByteLevelBpe,
    /// <summary>SentencePiece unigram (spm.model): DeBERTa-v2/v3.</summary>
    SentencePiece,
}

/// <summary>An added/special token as declared in the configs; <see cref="Id"/> is null when it must be looked up.</summary>
internal sealed record AddedTokenSpec(string Content, int? Id, bool? LeftStrip, bool? RightStrip, bool Special);

/// <summary>
/// Everything a tokenizer needs besides its vocabulary file, with the Hugging Face names and the slow tokenizers'
/// defaults (<c>tokenizer_config.json</c>, <c>special_tokens_map.json</c>, <c>added_tokens.json</c>, <c>tokenizer.json</c>).
/// </summary>
internal sealed record TokenizerSettings
{
    public required TokenizerFamily Family { get; init; }
    /// <summary>Hugging Face class name (e.g. <c>DebertaV2Tokenizer</c>).</summary>
    public required string TokenizerClass { get; init; }
    /// <summary>Role (<c>vocab_file</c>, <c>merges_file</c>) to absolute path.</summary>
    public required IReadOnlyDictionary<string, string> Files { get; init; }
    public bool DoLowerCase { get; init; }
    /// <summary>null = strip accents exactly when lower-casing (BERT's default).</summary>
    public bool? StripAccents { get; init; }
    public bool TokenizeChineseChars { get; init; } = true;
    public bool DoBasicTokenize { get; init; } = true;
    public bool AddPrefixSpace { get; init; }
    public bool SplitByPunct { get; init; }
    public int ModelMaxLength { get; init; } = int.MaxValue;
    public bool CleanUpTokenizationSpaces { get; init; }
    public string ClsToken { get; init; } = "[CLS]";
    public string SepToken { get; init; } = "[SEP]";
    public string PadToken { get; init; } = "[PAD]";
    public string UnkToken { get; init; } = "[UNK]";
    public string MaskToken { get; init; } = "[MASK]";
    /// <summary>Tokens matched verbatim in text, in declaration order (specials included).</summary>
    public IReadOnlyList<AddedTokenSpec> AddedTokens { get; init; } = [];

    /// <summary>The five special token strings, in HF's <c>all_special_tokens</c> spirit.</summary>
    public IEnumerable<string> SpecialTokens => [ClsToken, SepToken, PadToken, UnkToken, MaskToken];

    /// <summary>
    /// Resolves every special and added token to an id: the declared id, else the vocabulary's, else appended after the
    /// vocabulary (as <c>add_tokens</c> does). Applies the family's strip defaults (DeBERTa v1: <c>[MASK]</c> lstrip).
    /// </summary>
    public List<AddedToken> ResolveAddedTokens(Func<string, int?> vocabLookup, int vocabSize)
    {
        var specs = new List<AddedTokenSpec>(AddedTokens);
        foreach (var s in SpecialTokens)
            if (!specs.Any(a => a.Content == s)) specs.Add(new AddedTokenSpec(s, null, null, null, true));
        var result = new List<AddedToken>();
        int next = vocabSize;
        foreach (var spec in specs)
        {
            if (result.Any(r => r.Content == spec.Content)) continue;
            int id = spec.Id ?? vocabLookup(spec.Content) ?? next;
            next = Math.Max(next, id + 1);
            bool lstrip = spec.LeftStrip ?? (Family == TokenizerFamily.ByteLevelBpe && spec.Content == MaskToken);
            result.Add(new AddedToken(spec.Content, id, lstrip, spec.RightStrip ?? false, spec.Special));
        }
        return result;
    }
}
