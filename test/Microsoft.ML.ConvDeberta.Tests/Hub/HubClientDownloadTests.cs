using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using Microsoft.ML.ConvDeberta.Hub;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>Downloads into the Hugging Face cache layout: blobs, refs, snapshot symlinks, weight preference, shards.</summary>
[TestClass]
public class HubClientDownloadTests : HubTestBase
{
    [TestMethod]
    public async Task Download_WritesHuggingFaceCacheLayout()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/tiny", "model.safetensors", "pytorch_model.bin"));
        var folder = await ResolveAsync("org/tiny");

        var repoDir = Path.Combine(CacheDir, "models--org--tiny");
        Assert.AreEqual(Path.Combine(repoDir, "snapshots", repo.Commit), folder);
        Assert.AreEqual(repo.Commit, File.ReadAllText(Path.Combine(repoDir, "refs", "main")));
        foreach (var file in new[] { "config.json", "vocab.txt", "tokenizer_config.json", "model.safetensors" })
        {
            var link = new FileInfo(Path.Combine(folder, file));
            Assert.AreEqual($"../../blobs/{repo.ETag(file)}", link.LinkTarget, file);
            AssertSameBytes(repo.Files[file], Path.Combine(repoDir, "blobs", repo.ETag(file)), file);
            AssertSameBytes(repo.Files[file], link.FullName, file);
        }
        Assert.IsFalse(File.Exists(Path.Combine(folder, "pytorch_model.bin")), "model.safetensors is preferred; the .bin must not be fetched");
        Assert.IsFalse(Server.For("pytorch_model.bin").Any());
        Assert.IsTrue(File.Exists(Path.Combine(repoDir, ".no_exist", repo.Commit, "spm.model")), "absent optional files are remembered");
        Assert.IsFalse(Directory.EnumerateFiles(repoDir, "*.incomplete", SearchOption.AllDirectories).Any());
    }

    [TestMethod]
    public async Task Download_RealTinyConvBertCheckpoint_IsByteIdentical()
    {
        var source = SharedData.Reference("checkpoints", "tiny-convbert");
        var files = Directory.GetFiles(source).ToDictionary(path => Path.GetFileName(path), File.ReadAllBytes);
        var repo = Server.Add(new FakeHubRepo("hf-internal/tiny-convbert", files));
        repo.CdnFiles.Add("model.safetensors");

        var folder = await ResolveAsync("hf-internal/tiny-convbert");

        CollectionAssert.AreEquivalent(files.Keys.ToArray(), Directory.GetFiles(folder).Select(path => Path.GetFileName(path)).ToArray());
        foreach (var (name, bytes) in files) AssertSameBytes(bytes, Path.Combine(folder, name), name);
        using var weights = File.OpenRead(Path.Combine(folder, "model.safetensors")); // read through the snapshot symlink
        var (entries, _, _) = SafeTensorsHeader.Read(weights, "model.safetensors");
        Assert.IsTrue(entries.Any(e => e.Name.EndsWith("word_embeddings.weight", StringComparison.Ordinal)));
    }

    [TestMethod]
    public async Task Download_FollowsCdnRedirect_AndSendsTokenOnlyToEndpoint()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/lfs", "model.safetensors"));
        repo.CdnFiles.Add("model.safetensors");
        var folder = await ResolveAsync("org/lfs", Options(token: "hf_secret"));

        AssertSameBytes(repo.Files["model.safetensors"], Path.Combine(folder, "model.safetensors"));
        var resolveRequests = Server.Requests.Where(r => r.Path.Contains("/resolve/")).ToList();
        Assert.IsTrue(resolveRequests.Count > 0 && resolveRequests.All(r => r.Header("Authorization") == "Bearer hf_secret"));
        var cdn = Server.Requests.Where(r => r.Path.StartsWith("/cdn/")).ToList();
        Assert.AreEqual(1, cdn.Count, "the blob is fetched once from the CDN");
        Assert.IsNull(cdn[0].Header("Authorization"), "the token must not leak to another host");
        Assert.AreEqual($"../../blobs/{repo.ETag("model.safetensors")}", new FileInfo(Path.Combine(folder, "model.safetensors")).LinkTarget,
            "an LFS file's blob is named by X-Linked-Etag, not by the redirect's ETag");
    }

    [TestMethod]
    public async Task Download_FollowsRelativeRedirectOfRenamedRepo()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/new-name", "model.safetensors"));
        Server.Rename("org/old-name", "org/new-name");
        var folder = await ResolveAsync("org/old-name");

        Assert.AreEqual(Path.Combine(CacheDir, "models--org--old-name", "snapshots", repo.Commit), folder);
        AssertSameBytes(repo.Files["config.json"], Path.Combine(folder, "config.json"));
        Assert.IsTrue(Server.For("config.json").Any(r => r.Path.StartsWith("/org/new-name/")));
    }

    [TestMethod]
    public async Task Download_ShardedSafetensors_FetchesIndexAndEveryShard()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/sharded", "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "pytorch_model.bin"));
        repo.Files["model.safetensors.index.json"] = """
            {"metadata":{"total_size":1},"weight_map":{"a.weight":"model-00001-of-00002.safetensors",
             "b.weight":"model-00002-of-00002.safetensors","c.weight":"model-00001-of-00002.safetensors"}}
            """u8.ToArray();
        var folder = await ResolveAsync("org/sharded");

        foreach (var shard in new[] { "model-00001-of-00002.safetensors", "model-00002-of-00002.safetensors", "model.safetensors.index.json" })
            AssertSameBytes(repo.Files[shard], Path.Combine(folder, shard), shard);
        Assert.AreEqual(1, Server.For("model-00001-of-00002.safetensors").Count(r => r.Method == "GET"), "a shard listed twice is fetched once");
        Assert.IsFalse(Server.For("pytorch_model.bin").Any(), "sharded safetensors beat pytorch_model.bin");
    }

    [TestMethod]
    public async Task Download_ShardedPytorchBin_IsTheLastFallback()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/old-bin", "pytorch_model-00001-of-00001.bin"));
        repo.Files["pytorch_model.bin.index.json"] = """{"weight_map":{"w":"pytorch_model-00001-of-00001.bin"}}"""u8.ToArray();
        var folder = await ResolveAsync("org/old-bin");

        AssertSameBytes(repo.Files["pytorch_model-00001-of-00001.bin"], Path.Combine(folder, "pytorch_model-00001-of-00001.bin"));
        foreach (var absent in new[] { "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin" })
            Assert.IsTrue(Server.For(absent).Single().Method == "HEAD", absent + " is probed once with HEAD");
    }

    [TestMethod]
    public async Task Download_ReportsProgressPerFile()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/progress", "model.safetensors"));
        var log = new ProgressLog();
        await ResolveAsync("org/progress", progress: log);

        var weights = log.Reports.Where(r => r.FileName == "model.safetensors").ToList();
        Assert.IsTrue(weights.Count >= 2, "a start and at least one later report");
        Assert.AreEqual(0, weights[0].BytesDownloaded);
        Assert.IsTrue(weights[^1].IsComplete);
        Assert.AreEqual(repo.Files["model.safetensors"].Length, weights[^1].TotalBytes);
        Assert.IsTrue(weights.Zip(weights.Skip(1)).All(p => p.First.BytesDownloaded <= p.Second.BytesDownloaded), "monotonic");
        Assert.IsTrue(log.Reports.Any(r => r.FileName == "config.json" && r.IsComplete));
    }

    [TestMethod]
    public async Task EnvironmentDefaults_DriveEndpointCacheAndToken()
    {
        var repo = Server.Add(new FakeHubRepo("org/env", FakeHubRepo.Generated("x", "model.safetensors").Files) { RequiredToken = "hf_env" });
        var home = NewFolder();
        var environment = new Dictionary<string, string> { ["HF_HOME"] = home, ["HF_ENDPOINT"] = Server.Endpoint, ["HF_TOKEN"] = "hf_env" };
        var options = new HubOptions(name => environment.GetValueOrDefault(name)) { RetryDelay = TimeSpan.Zero };

        var folder = await ResolveAsync("org/env", options);
        Assert.AreEqual(Path.Combine(home, "hub", "models--org--env", "snapshots", repo.Commit), folder);
        Assert.IsTrue(Server.Requests.All(r => r.Header("Authorization") == "Bearer hf_env"));

        environment["HF_HUB_CACHE"] = Path.Combine(home, "elsewhere");
        environment["HF_HUB_OFFLINE"] = "1";
        var offline = new HubOptions(name => environment.GetValueOrDefault(name));
        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/env", offline));
        StringAssert.Contains(error.Message, Path.Combine(home, "elsewhere"), "HF_HUB_CACHE wins over HF_HOME");
    }
}
