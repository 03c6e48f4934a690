using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>One token of one text: its id, its span in the original string and the index of its word.</summary>
internal readonly record struct TextPiece(int Id, int Start, int Length, int Word);

/// <summary>
/// What the three families share: added-token matching, the <c>[CLS] A [SEP] (B [SEP])</c> template, Hugging Face's
/// truncation rules, overflowing windows, decoding of special tokens and saving. A family only turns a run of ordinary
/// text into <see cref="TextPiece"/>s and ids back into token strings.
/// </summary>
internal abstract class TemplateTokenizer : TransformerTokenizer
{
    private Dictionary<int, AddedToken> _addedById = [];
    private HashSet<int> _specialIds = [];
    private AddedTokenSplitter _splitter = new([]);
    private int _vocabSize, _pad, _cls, _sep, _mask, _unk;

    protected TemplateTokenizer(TokenizerSettings settings) => Settings = settings;

    internal TokenizerSettings Settings { get; }
    internal IReadOnlyList<AddedToken> AddedTokens { get; private set; } = [];

    public override int PadTokenId => _pad;
    public override int ClsTokenId => _cls;
    public override int SepTokenId => _sep;
    public override int MaskTokenId => _mask;
    public override int UnkTokenId => _unk;
    public override int VocabularySize => _vocabSize;
    public override int ModelMaxLength => Settings.ModelMaxLength;

    /// <summary>Called by the family once its vocabulary is loaded: resolves the added/special tokens to ids.</summary>
    protected void InitializeAddedTokens(Func<string, int?> vocabLookup, int modelVocabSize)
    {
        AddedTokens = Settings.ResolveAddedTokens(vocabLookup, modelVocabSize);
        _addedById = AddedTokens.GroupBy(t => t.Id).ToDictionary(g => g.Key, g => g.First());
        var specialContents = Settings.SpecialTokens.ToHashSet();
        _specialIds = AddedTokens.Where(t => specialContents.Contains(t.Content)).Select(t => t.Id).ToHashSet();
        _splitter = new AddedTokenSplitter(AddedTokens);
        (_pad, _cls, _sep, _mask, _unk) = (IdOf(Settings.PadToken), IdOf(Settings.ClsToken), IdOf(Settings.SepToken), IdOf(Settings.MaskToken), IdOf(Settings.UnkToken));
        _vocabSize = Math.Max(modelVocabSize, AddedTokens.Count == 0 ? 0 : AddedTokens.Max(t => t.Id) + 1);
    }

    /// <summary>Tokenizes <paramref name="length"/> chars of ordinary text at <paramref name="start"/>; spans index into <paramref name="text"/>.</summary>
    protected abstract void TokenizeText(string text, int start, int length, List<TextPiece> output, ref int word);

    /// <summary>The vocabulary string of a model (non-added) id.</summary>
    protected abstract string IdToToken(int id);

    /// <summary>Joins model tokens (and special token strings) back into text, as the slow tokenizer's convert_tokens_to_string.</summary>
    protected abstract string TokensToString(IReadOnlyList<string> tokens);

    /// <summary>Rejects input the reference cannot encode; the default accepts everything.</summary>
    protected virtual void Validate(string text, string paramName) { }

    /// <summary>Files to copy on <see cref="SaveTo"/>: role → file name in the Hugging Face layout.</summary>
    protected virtual IEnumerable<(string Role, string FileName)> SavedFiles => TokenizerLoader.FamilyFiles(Settings.Family);

    /// <summary>The tokens of one text without special tokens (Hugging Face <c>tokenize</c> + <c>convert_tokens_to_ids</c>).</summary>
    internal List<TextPiece> Tokenize(string text, string paramName = "text")
    {
        ArgumentNullException.ThrowIfNull(text, paramName);
        Validate(text, paramName);
        var pieces = new List<TextPiece>();
        int word = 0;
        foreach (var segment in _splitter.Split(text))
        {
            if (segment.Token is { } added) pieces.Add(new TextPiece(added.Id, segment.Start, segment.Length, word++));
            else TokenizeText(text, segment.Start, segment.Length, pieces, ref word);
        }
        return pieces;
    }

    public override TokenizedText Encode(string text, string? textPair = null, EncodeOptions? options = null)
    {
        ArgumentNullException.ThrowIfNull(text);
        options ??= new EncodeOptions();
        var a = Tokenize(text, nameof(text));
        var b = textPair == null ? null : Tokenize(textPair, nameof(textPair));
        return EncodingBuilder.Encode(a, b, options, ClsTokenId, SepTokenId);
    }

    public override string Decode(IEnumerable<int> ids, bool skipSpecialTokens = false)
    {
        ArgumentNullException.ThrowIfNull(ids);
        var parts = new List<string>();
        var run = new List<string>();
        foreach (int id in ids)
        {
            if (id < 0 || id >= _vocabSize)
                throw new ArgumentOutOfRangeException(nameof(ids), $"Token id {id} is outside the vocabulary (0..{_vocabSize - 1}).");
            if (skipSpecialTokens && _specialIds.Contains(id)) continue;
            if (_addedById.TryGetValue(id, out var added))
            {
                if (added.Special) { run.Add(added.Content); continue; }
                // Non-special added tokens are decoded on their own and joined with spaces (HF legacy_added_tokens).
                if (run.Count > 0 && TokensToString(run) is { Length: > 0 } s) parts.Add(s);
                run.Clear();
                parts.Add(added.Content);
                continue;
            }
            run.Add(IdToToken(id));
        }
        if (run.Count > 0) parts.Add(TokensToString(run));
        string textOut = string.Join(" ", parts);
        return Settings.CleanUpTokenizationSpaces ? CleanUpTokenizationSpaces(textOut) : textOut;
    }

    /// <summary>Hugging Face's <c>clean_up_tokenization</c>: removes spaces before punctuation and English contractions.</summary>
    internal static string CleanUpTokenizationSpaces(string s) => s.Replace(" .", ".").Replace(" ?", "?").Replace(" !", "!")
        .Replace(" ,", ",").Replace(" ' ", "'").Replace(" n't", "n't").Replace(" 'm", "'m").Replace(" 's", "'s")
        .Replace(" 've", "'ve").Replace(" 're", "'re");

    internal bool IsSpecialId(int id) => _specialIds.Contains(id);

    public override void SaveTo(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        Directory.CreateDirectory(folder);
        foreach (var (role, fileName) in SavedFiles)
            File.Copy(Settings.Files[role], Path.Combine(folder, fileName), overwrite: true);
        var decoder = new JsonObject();
        foreach (var t in AddedTokens.OrderBy(t => t.Id))
            decoder[t.Id.ToString()] = new JsonObject { ["content"] = t.Content, ["lstrip"] = t.LeftStrip, ["rstrip"] = t.RightStrip, ["special"] = t.Special };
        var config = new JsonObject
        {
            ["tokenizer_class"] = Settings.TokenizerClass,
            ["do_lower_case"] = Settings.DoLowerCase,
            ["strip_accents"] = Settings.StripAccents,
            ["tokenize_chinese_chars"] = Settings.TokenizeChineseChars,
            ["do_basic_tokenize"] = Settings.DoBasicTokenize,
            ["add_prefix_space"] = Settings.AddPrefixSpace,
            ["split_by_punct"] = Settings.SplitByPunct,
            ["clean_up_tokenization_spaces"] = Settings.CleanUpTokenizationSpaces,
            ["cls_token"] = Settings.ClsToken, ["sep_token"] = Settings.SepToken, ["pad_token"] = Settings.PadToken,
            ["unk_token"] = Settings.UnkToken, ["mask_token"] = Settings.MaskToken,
            ["added_tokens_decoder"] = decoder,
        };
        if (Settings.ModelMaxLength != int.MaxValue) config["model_max_length"] = Settings.ModelMaxLength;
        File.WriteAllText(Path.Combine(folder, "tokenizer_config.json"), config.ToJsonString(new JsonSerializerOptions { WriteIndented = true }), new UTF8Encoding(false));
    }

    private int IdOf(string content) => AddedTokens.FirstOrDefault(t => t.Content == content)?.Id
        ?? throw new InvalidOperationException($"Special token '{content}' has no id.");
}
