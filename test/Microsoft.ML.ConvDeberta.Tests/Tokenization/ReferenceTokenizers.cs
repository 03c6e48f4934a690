using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.Tests.Tokenization;

/// <summary>
/// The tokenizers listed in &lt;reference&gt;/tokenizers/index.json, built from the index's class, files and settings
/// (so a new entry is tested with no code change), and their JSONL records.
/// </summary>
internal static class ReferenceTokenizers
{
    public const string Missing = "(tokenizers/index.json missing)";
    private static readonly ConcurrentDictionary<string, TransformerTokenizer> Cache = new();

    public static string Dir => Path.Combine(SharedData.ReferenceDir, "tokenizers");

    public static IEnumerable<object[]> Names()
    {
        string index = Path.Combine(Dir, "index.json");
        if (!File.Exists(index)) return [[Missing]];
        var tokenizers = JsonNode.Parse(File.ReadAllText(index))!["tokenizers"]!.AsObject();
        return tokenizers.Select(t => new object[] { t.Key }).ToList();
    }

    public static JsonObject Entry(string name)
    {
        SharedData.Require(Path.Combine(Dir, "index.json"));
        var entry = JsonNode.Parse(File.ReadAllText(Path.Combine(Dir, "index.json")))!["tokenizers"]![name];
        return entry?.AsObject() ?? throw new AssertFailedException($"index.json has no tokenizer '{name}'.");
    }

    public static TransformerTokenizer Get(string name) => Cache.GetOrAdd(name, n =>
    {
        var entry = Entry(n);
        var files = entry["files"]!.AsObject().ToDictionary(f => f.Key, f => Path.Combine(Dir, (string)f.Value!["path"]!));
        var config = new JsonObject();
        foreach (var key in new[] { "init_kwargs", "effective_settings", "special_tokens" })
            if (entry[key] is JsonObject o)
                foreach (var (k, v) in o) config[k] = v?.DeepClone();
        if (entry["added_tokens"] is JsonObject added)
        {
            var decoder = new JsonObject();
            foreach (var (id, content) in added) decoder[id] = new JsonObject { ["content"] = content!.DeepClone() };
            config["added_tokens_decoder"] = decoder;
        }
        return TokenizerLoader.Create((string)entry["class"]!, files, config);
    });

    public static List<JsonElement> Records(string name)
    {
        var path = SharedData.Require(Path.Combine(Dir, (string)Entry(name)["jsonl"]!));
        return File.ReadLines(path).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement).ToList();
    }

    public static List<string> Corpus() =>
        File.ReadLines(SharedData.Require(Path.Combine(Dir, "corpus.jsonl"))).Where(l => l.Length > 0)
            .Select(l => JsonDocument.Parse(l).RootElement.GetProperty("text").GetString()!).ToList();

    public static int[] Ints(JsonElement e) => e.EnumerateArray().Select(x => x.GetInt32()).ToArray();
}
