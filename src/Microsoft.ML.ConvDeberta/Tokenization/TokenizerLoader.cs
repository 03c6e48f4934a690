using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Tokenization.Bert;
using Microsoft.ML.ConvDeberta.Tokenization.Bpe;
using Microsoft.ML.ConvDeberta.Tokenization.SentencePiece;

namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>Detects a checkpoint folder's tokenizer family from its files and configs and builds it.</summary>
internal static class TokenizerLoader
{
    private static readonly Dictionary<string, TokenizerFamily> FamiliesByClass = new(StringComparer.Ordinal)
    {
        ["ConvBertTokenizer"] = TokenizerFamily.WordPiece, ["ConvBertTokenizerFast"] = TokenizerFamily.WordPiece,
        ["BertTokenizer"] = TokenizerFamily.WordPiece, ["BertTokenizerFast"] = TokenizerFamily.WordPiece,
        ["DebertaTokenizer"] = TokenizerFamily.ByteLevelBpe, ["DebertaTokenizerFast"] = TokenizerFamily.ByteLevelBpe,
        ["DebertaV2Tokenizer"] = TokenizerFamily.SentencePiece, ["DebertaV2TokenizerFast"] = TokenizerFamily.SentencePiece,
    };

    /// <summary>Loads the tokenizer of a Hugging Face checkpoint folder.</summary>
    public static TransformerTokenizer Load(string folder)
    {
        ArgumentNullException.ThrowIfNull(folder);
        if (!Directory.Exists(folder))
            throw new DirectoryNotFoundException($"Tokenizer folder '{folder}' does not exist (expected a Hugging Face checkpoint folder).");
        var config = ReadJson(folder, "tokenizer_config.json") ?? new JsonObject();
        MergeSpecialTokensMap(config, ReadJson(folder, "special_tokens_map.json"));
        MergeAddedTokensJson(config, ReadJson(folder, "added_tokens.json"));
        var fast = ReadJson(folder, "tokenizer.json");

        string? cls = config["tokenizer_class"]?.GetValue<string>();
        var family = cls != null && FamiliesByClass.TryGetValue(cls, out var f) ? f : DetectFromFiles(folder);
        var files = FamilyFiles(family).ToDictionary(r => r.Role, r => Path.Combine(folder, r.File));
        foreach (var (role, path) in files)
            if (!File.Exists(path))
                throw new FileNotFoundException($"Tokenizer folder '{folder}' declares {cls ?? family.ToString()} but has no '{Path.GetFileName(path)}' ({role}).", path);
        if (fast != null) TokenizerJsonOverrides.Apply(config, fast, family);
        return Create(cls ?? DefaultClass(family), files, config);
    }

    /// <summary>
    /// Builds a tokenizer from a Hugging Face class name, its files (role → path) and tokenizer_config-style settings
    /// (init kwargs, special tokens, <c>added_tokens_decoder</c>).
    /// </summary>
    public static TransformerTokenizer Create(string tokenizerClass, IReadOnlyDictionary<string, string> files, JsonObject config)
    {
        if (!FamiliesByClass.TryGetValue(tokenizerClass, out var family))
            throw new NotSupportedException($"Tokenizer class '{tokenizerClass}' is not supported (supported: {string.Join(", ", FamiliesByClass.Keys)}).");
        var settings = ReadSettings(family, tokenizerClass, files, config);
        return family switch
        {
            TokenizerFamily.WordPiece => new BertWordPieceTokenizer(settings),
            TokenizerFamily.ByteLevelBpe => new ByteLevelBpeTokenizer(settings),
            _ => new DebertaSentencePieceTokenizer(settings),
        };
    }

    internal static (string Role, string File)[] FamilyFiles(TokenizerFamily family) => family switch
    {
        TokenizerFamily.WordPiece => [("vocab_file", "vocab.txt")],
        TokenizerFamily.ByteLevelBpe => [("vocab_file", "vocab.json"), ("merges_file", "merges.txt")],
        _ => [("vocab_file", "spm.model")],
    };

    private static string DefaultClass(TokenizerFamily family) => family switch
    {
        TokenizerFamily.WordPiece => "BertTokenizer",
        TokenizerFamily.ByteLevelBpe => "DebertaTokenizer",
        _ => "DebertaV2Tokenizer",
    };

    private static TokenizerFamily DetectFromFiles(string folder)
    {
        bool Has(string name) => File.Exists(Path.Combine(folder, name));
        if (Has("spm.model")) return TokenizerFamily.SentencePiece;
        if (Has("vocab.json") && Has("merges.txt")) return TokenizerFamily.ByteLevelBpe;
        if (Has("vocab.txt")) return TokenizerFamily.WordPiece;
        if (Has("vocab.json"))
            throw new FileNotFoundException($"Tokenizer folder '{folder}' has vocab.json but no merges.txt (DeBERTa byte-level BPE needs both).", Path.Combine(folder, "merges.txt"));
        throw new FileNotFoundException($"No supported tokenizer files in '{folder}' (expected vocab.txt, vocab.json + merges.txt, or spm.model).");
    }

    private static TokenizerSettings ReadSettings(TokenizerFamily family, string cls, IReadOnlyDictionary<string, string> files, JsonObject c)
    {
        bool? Bool(string key) => c[key] is JsonValue v && v.TryGetValue(out bool b) ? b : null;
        string Token(string key, string fallback) => c[key] switch
        {
            JsonValue v when v.TryGetValue(out string? s) => s,
            JsonObject o when o["content"] is JsonValue v => v.GetValue<string>(),
            _ => fallback,
        };
        int maxLength = c["model_max_length"] is JsonValue m && m.TryGetValue(out double d) && d < int.MaxValue ? (int)d : int.MaxValue;
        var settings = new TokenizerSettings
        {
            Family = family, TokenizerClass = cls, Files = files,
            DoLowerCase = Bool("do_lower_case") ?? family == TokenizerFamily.WordPiece,
            StripAccents = Bool("strip_accents"),
            TokenizeChineseChars = Bool("tokenize_chinese_chars") ?? true,
            DoBasicTokenize = Bool("do_basic_tokenize") ?? true,
            AddPrefixSpace = Bool("add_prefix_space") ?? false,
            SplitByPunct = Bool("split_by_punct") ?? false,
            ModelMaxLength = maxLength,
            CleanUpTokenizationSpaces = Bool("clean_up_tokenization_spaces") ?? family == TokenizerFamily.WordPiece,
            ClsToken = Token("cls_token", "[CLS]"), SepToken = Token("sep_token", "[SEP]"), PadToken = Token("pad_token", "[PAD]"),
            UnkToken = Token("unk_token", "[UNK]"), MaskToken = Token("mask_token", "[MASK]"),
        };
        return settings with { AddedTokens = ReadAddedTokens(c) };
    }

    private static List<AddedTokenSpec> ReadAddedTokens(JsonObject c)
    {
        var list = new List<AddedTokenSpec>();
        if (c["added_tokens_decoder"] is JsonObject decoder)
        {
            foreach (var (key, node) in decoder)
            {
                if (!int.TryParse(key, out int id) || node is not JsonObject o || o["content"] is not JsonValue content)
                    throw new InvalidDataException($"tokenizer_config.json: added_tokens_decoder entry '{key}' must map an integer id to {{\"content\": ...}}.");
                list.Add(new AddedTokenSpec(content.GetValue<string>(), id, (bool?)o["lstrip"], (bool?)o["rstrip"], (bool?)o["special"] ?? true));
            }
        }
        // Strip flags declared on the special tokens themselves (special_tokens_map.json objects).
        foreach (var key in new[] { "cls_token", "sep_token", "pad_token", "unk_token", "mask_token", "bos_token", "eos_token" })
        {
            if (c[key] is not JsonObject o || o["content"] is not JsonValue v) continue;
            string content = v.GetValue<string>();
            int i = list.FindIndex(a => a.Content == content);
            var spec = new AddedTokenSpec(content, i >= 0 ? list[i].Id : null, (bool?)o["lstrip"] ?? (i >= 0 ? list[i].LeftStrip : null),
                (bool?)o["rstrip"] ?? (i >= 0 ? list[i].RightStrip : null), true);
            if (i >= 0) list[i] = spec; else list.Add(spec);
        }
        return list;
    }

    private static void MergeSpecialTokensMap(JsonObject config, JsonObject? map)
    {
        if (map == null) return;
        foreach (var (key, value) in map)
            if (key.EndsWith("_token", StringComparison.Ordinal) && value != null && (config[key] is null or JsonValue))
                config[key] = value.DeepClone();
    }

    private static void MergeAddedTokensJson(JsonObject config, JsonObject? added)
    {
        if (added == null) return;
        if (config["added_tokens_decoder"] is not JsonObject decoder) config["added_tokens_decoder"] = decoder = new JsonObject();
        foreach (var (content, idNode) in added)
        {
            if (idNode is not JsonValue v || !v.TryGetValue(out int id))
                throw new InvalidDataException($"added_tokens.json: '{content}' must map to an integer id.");
            if (!decoder.ContainsKey(id.ToString()))
                decoder[id.ToString()] = new JsonObject { ["content"] = content, ["special"] = true };
        }
    }

    internal static JsonObject? ReadJson(string folder, string name)
    {
        string path = Path.Combine(folder, name);
        if (!File.Exists(path)) return null;
        try
        {
            return JsonNode.Parse(File.ReadAllText(path)) as JsonObject
                ?? throw new InvalidDataException($"'{path}' must contain a JSON object.");
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"'{path}' is not valid JSON ({e.Message}). Re-download or re-save the tokenizer.", e);
        }
    }
}
