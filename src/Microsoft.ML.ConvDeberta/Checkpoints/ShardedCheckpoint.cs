using System.Text.Json;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Checkpoints;

/// <summary>
/// Reads a sharded checkpoint: an index file (<c>model.safetensors.index.json</c> or
/// <c>pytorch_model.bin.index.json</c>) whose <c>weight_map</c> maps every tensor name to the shard file holding it.
/// Each shard is read once with the format's reader; every name in the map must be found in its shard.
/// </summary>
internal static class ShardedCheckpoint
{
    public static Dictionary<string, Tensor> Load(string indexPath, Func<string, Dictionary<string, Tensor>> readShard)
    {
        var weightMap = ReadWeightMap(indexPath);
        var folder = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
        var result = new Dictionary<string, Tensor>(weightMap.Count);
        try
        {
            foreach (var shard in weightMap.Values.Distinct().OrderBy(s => s, StringComparer.Ordinal))
            {
                var shardPath = Path.Combine(folder, shard);
                if (!File.Exists(shardPath))
                    throw new FileNotFoundException($"Sharded checkpoint '{indexPath}' lists shard '{shard}', which is not in '{folder}'. Download every shard.", shardPath);
                foreach (var (name, tensor) in readShard(shardPath))
                {
                    if (!result.TryAdd(name, tensor))
                    {
                        tensor.Dispose();
                        throw new InvalidDataException($"Sharded checkpoint '{indexPath}': tensor '{name}' appears in more than one shard (again in '{shard}').");
                    }
                }
            }
            var missing = weightMap.Where(kv => !result.ContainsKey(kv.Key)).Select(kv => $"{kv.Key} (in {kv.Value})").ToList();
            if (missing.Count > 0)
                throw new InvalidDataException(
                    $"Sharded checkpoint '{indexPath}': {missing.Count} tensor(s) of the weight_map are not in their shard:\n  " +
                    string.Join("\n  ", missing.Take(20)) + (missing.Count > 20 ? "\n  …" : "") + "\nA shard is probably truncated or from another version.");
            return result;
        }
        catch
        {
            foreach (var tensor in result.Values) tensor.Dispose();
            throw;
        }
    }

    /// <summary>The index's <c>weight_map</c> (tensor name → shard file name), validated.</summary>
    public static Dictionary<string, string> ReadWeightMap(string indexPath)
    {
        JsonDocument doc;
        try { doc = JsonDocument.Parse(File.ReadAllText(indexPath)); }
        catch (JsonException e) { throw new InvalidDataException($"Shard index '{indexPath}' is not valid JSON: {e.Message}", e); }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object
                || !doc.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
                throw new InvalidDataException($"Shard index '{indexPath}' has no \"weight_map\" object (expected {{\"metadata\": {{…}}, \"weight_map\": {{\"<tensor>\": \"<shard file>\"}}}}).");
            var result = new Dictionary<string, string>();
            foreach (var entry in map.EnumerateObject())
            {
                var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
                // Shards live beside the index: a path that leaves the folder is refused.
                if (shard.Length == 0 || shard != Path.GetFileName(shard) || shard is "." or "..")
                    throw new InvalidDataException($"Shard index '{indexPath}': tensor '{entry.Name}' maps to '{entry.Value}', which is not a file name in the checkpoint folder.");
                result[entry.Name] = shard;
            }
            if (result.Count == 0)
                throw new InvalidDataException($"Shard index '{indexPath}' has an empty weight_map.");
            return result;
        }
    }
}
