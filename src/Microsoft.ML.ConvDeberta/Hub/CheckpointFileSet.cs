using Microsoft.ML.ConvDeberta.Checkpoints;
using System.Text.Json;

namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// Which files make a checkpoint: config.json, whichever tokenizer files exist, and one weight format in order of
/// preference (a sharded format brings its index's shards).
/// </summary>
internal static class CheckpointFileSet
{
    /// <summary>The configuration every checkpoint must have.</summary>
    public const string Config = "config.json";

    /// <summary>Tokenizer files fetched when the repository has them.</summary>
    public static readonly IReadOnlyList<string> TokenizerFiles =
    [
        "tokenizer_config.json", "special_tokens_map.json", "added_tokens.json", "tokenizer.json",
        "vocab.txt", "vocab.json", "merges.txt", "spm.model",
    ];

    /// <summary>Weight files in order of preference (the loader's own list); the first one the repository has wins.</summary>
    public static IReadOnlyList<string> WeightFiles => CheckpointFiles.WeightFileNames;

    /// <summary>Fetches the whole set into the session's snapshot.</summary>
    public static async Task FetchAsync(SnapshotSession session, CancellationToken ct)
    {
        await session.GetAsync(Config, ct).ConfigureAwait(false);
        foreach (var file in TokenizerFiles) await session.TryGetAsync(file, ct).ConfigureAwait(false);
        foreach (var file in WeightFiles)
        {
            var path = await session.TryGetAsync(file, ct).ConfigureAwait(false);
            if (path is null) continue;
            if (file.EndsWith(".index.json", StringComparison.Ordinal))
                foreach (var shard in ShardNames(path, session.Repo.RepoId)) await session.GetAsync(shard, ct).ConfigureAwait(false);
            return;
        }
        throw new HubException(
            $"Repository '{session.Repo.RepoId}' (revision '{session.Repo.Revision}') has no weights: none of {string.Join(", ", WeightFiles)} was found" +
            (session.Commit is { } commit ? $" at commit {commit}." : "."), session.Repo.RepoId, WeightFiles[0]);
    }

    /// <summary>The distinct shard files named by an index's <c>weight_map</c>, checked to stay inside the repository.</summary>
    internal static IReadOnlyList<string> ShardNames(string indexPath, string repoId)
    {
        using var document = JsonDocument.Parse(File.ReadAllBytes(indexPath));
        if (!document.RootElement.TryGetProperty("weight_map", out var map) || map.ValueKind != JsonValueKind.Object)
            throw new HubException($"'{Path.GetFileName(indexPath)}' of '{repoId}' has no \"weight_map\" object: it is not a sharded-checkpoint index.", repoId, Path.GetFileName(indexPath));
        var shards = new List<string>();
        foreach (var entry in map.EnumerateObject())
        {
            var shard = entry.Value.ValueKind == JsonValueKind.String ? entry.Value.GetString()! : "";
            if (shard.Length == 0 || shard.Contains('\\') || shard.StartsWith('/') || shard.Split('/').Any(p => p is "" or "." or ".."))
                throw new HubException($"'{Path.GetFileName(indexPath)}' of '{repoId}' maps '{entry.Name}' to '{shard}', which is not a file name inside the repository.", repoId, Path.GetFileName(indexPath));
            if (!shards.Contains(shard)) shards.Add(shard);
        }
        return shards;
    }
}
