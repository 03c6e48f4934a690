using System.Text.Json.Nodes;

namespace Microsoft.ML.ConvDeberta.Tokenization;

/// <summary>
/// Applies what a fast tokenizer's <c>tokenizer.json</c> states explicitly (added tokens with their ids and strip flags,
/// BERT normalizer flags, byte-level prefix space) on top of tokenizer_config.json: it is the file the hub's fast
/// tokenizers actually run with, so it wins where both speak.
/// </summary>
internal static class TokenizerJsonOverrides
{
    public static void Apply(JsonObject config, JsonObject tokenizerJson, TokenizerFamily family)
    {
        if (tokenizerJson["added_tokens"] is JsonArray added)
        {
            if (config["added_tokens_decoder"] is not JsonObject decoder) config["added_tokens_decoder"] = decoder = new JsonObject();
            foreach (var node in added)
            {
                if (node is not JsonObject t || t["id"] is not JsonValue id || t["content"] is not JsonValue content)
                    throw new InvalidDataException("tokenizer.json: every entry of added_tokens needs an integer 'id' and a 'content'.");
                decoder[id.GetValue<int>().ToString()] = new JsonObject
                {
                    ["content"] = content.GetValue<string>(),
                    ["lstrip"] = (bool?)t["lstrip"] ?? false,
                    ["rstrip"] = (bool?)t["rstrip"] ?? false,
                    ["special"] = (bool?)t["special"] ?? true,
                };
            }
        }
        if (family == TokenizerFamily.WordPiece && tokenizerJson["normalizer"] is JsonObject n && (string?)n["type"] == "BertNormalizer")
        {
            if (n["lowercase"] is JsonValue lower) config["do_lower_case"] = lower.GetValue<bool>();
            if (n["handle_chinese_chars"] is JsonValue cjk) config["tokenize_chinese_chars"] = cjk.GetValue<bool>();
            if (n.ContainsKey("strip_accents")) config["strip_accents"] = n["strip_accents"]?.DeepClone();
        }
        if (family == TokenizerFamily.ByteLevelBpe && tokenizerJson["pre_tokenizer"] is JsonObject p
            && (string?)p["type"] == "ByteLevel" && p["add_prefix_space"] is JsonValue prefix)
            config["add_prefix_space"] = prefix.GetValue<bool>();
    }
}
