using System.Security.Cryptography;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>A repository served by <see cref="FakeHubServer"/>: files at one commit, reachable by branch or hash.</summary>
internal sealed class FakeHubRepo(string repoId, Dictionary<string, byte[]> files)
{
    /// <summary><c>org/name</c>.</summary>
    public string RepoId { get; } = repoId;

    /// <summary>File name → contents.</summary>
    public Dictionary<string, byte[]> Files { get; } = files;

    /// <summary>The commit every revision resolves to (random, 40 hex digits).</summary>
    public string Commit { get; } = Convert.ToHexString(RandomNumberGenerator.GetBytes(20)).ToLowerInvariant();

    /// <summary>Branches and tags (all point to <see cref="Commit"/>).</summary>
    public HashSet<string> Branches { get; } = ["main"];

    /// <summary>When set, requests without <c>Authorization: Bearer {token}</c> get 401.</summary>
    public string? RequiredToken { get; init; }

    /// <summary>Files served like LFS files: HEAD/GET answer 302 to an absolute CDN address on another host name.</summary>
    public HashSet<string> CdnFiles { get; } = [];

    /// <summary>File → byte count after which the first GET of it drops the connection.</summary>
    public Dictionary<string, int> DropOnceAfter { get; } = [];

    /// <summary>When true, Range headers are ignored (the whole file comes back with 200), like some proxies.</summary>
    public bool IgnoreRange { get; init; }

    /// <summary>The etag (sha256 of the contents) of a file, as the server reports it without quotes.</summary>
    public string ETag(string file) => Convert.ToHexString(SHA256.HashData(Files[file])).ToLowerInvariant();

    /// <summary>True when <paramref name="revision"/> names this repo's commit.</summary>
    public bool HasRevision(string revision) => revision == Commit || Branches.Contains(revision);

    /// <summary>Small generated files: config.json, vocab.txt and the named weight files.</summary>
    public static FakeHubRepo Generated(string repoId, params string[] weightFiles)
    {
        var files = new Dictionary<string, byte[]>
        {
            ["config.json"] = "{\"model_type\":\"convbert\",\"hidden_size\":32}"u8.ToArray(),
            ["vocab.txt"] = "[PAD]\n[UNK]\n[CLS]\n[SEP]\n[MASK]\nhello\n"u8.ToArray(),
            ["tokenizer_config.json"] = "{\"do_lower_case\":true,\"model_max_length\":512}"u8.ToArray(),
        };
        var random = new Random(repoId.Length);
        foreach (var weight in weightFiles)
        {
            var bytes = new byte[300_000 + random.Next(1000)];
            random.NextBytes(bytes);
            files[weight] = bytes;
        }
        return new FakeHubRepo(repoId, files);
    }
}
