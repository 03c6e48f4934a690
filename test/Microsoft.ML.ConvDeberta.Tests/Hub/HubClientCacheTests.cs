using Microsoft.ML.ConvDeberta.Hub;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>Cache hits make no (or one) request; offline mode reads only the cache; an unreachable Hub falls back to it.</summary>
[TestClass]
public class HubClientCacheTests : HubTestBase
{
    [TestMethod]
    public async Task CommitHashRevision_WithCompleteSnapshot_MakesNoRequest()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/cached", "model.safetensors"));
        var first = await ResolveAsync("org/cached");
        Server.Requests.Clear();

        var second = await ResolveAsync("org/cached@" + repo.Commit);
        using var client = new HubClient(Options());
        var third = client.Resolve("org/cached"); // the synchronous form

        Assert.AreEqual(first, second);
        Assert.AreEqual(first, third);
        Assert.AreEqual(1, Server.Requests.Count, "commit hash: zero requests; branch: one HEAD (config.json) to learn the commit");
        Assert.AreEqual("HEAD", Server.Requests.Single().Method);
    }

    [TestMethod]
    public async Task RevisionOption_IsUsedWhenTheIdHasNone()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/tagged", "model.safetensors"));
        repo.Branches.Add("v1.0");
        var options = Options();
        options.Revision = "v1.0";
        var folder = await ResolveAsync("org/tagged", options);

        Assert.AreEqual(repo.Commit, File.ReadAllText(Path.Combine(CacheDir, "models--org--tagged", "refs", "v1.0")));
        Assert.IsTrue(Server.Requests.All(r => r.Path.Contains("/resolve/v1.0/") || r.Path.Contains("/resolve/" + repo.Commit + "/")));
        Assert.IsTrue(File.Exists(Path.Combine(folder, "config.json")));
    }

    [TestMethod]
    public async Task Offline_ResolvesFromRefsWithoutNetwork()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/offline", "model.safetensors"));
        var online = await ResolveAsync("org/offline");
        Server.Requests.Clear();

        var options = Options();
        options.Offline = true;
        Assert.AreEqual(online, await ResolveAsync("org/offline", options));
        Assert.AreEqual(online, await ResolveAsync("org/offline@" + repo.Commit, options));
        Assert.AreEqual(0, Server.Requests.Count);
    }

    [TestMethod]
    public async Task Offline_MissingFromCache_FailsClearlyWithoutNetwork()
    {
        Server.Add(FakeHubRepo.Generated("org/never-fetched", "model.safetensors"));
        var options = Options();
        options.Offline = true;

        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/never-fetched", options));
        StringAssert.Contains(error.Message, "HF_HUB_OFFLINE");
        StringAssert.Contains(error.Message, "org/never-fetched");
        Assert.AreEqual(0, Server.Requests.Count);
    }

    [TestMethod]
    public async Task Offline_SnapshotWithoutWeights_NamesTheMissingWeights()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/partial", "model.safetensors"));
        var folder = await ResolveAsync("org/partial");
        File.Delete(Path.Combine(folder, "model.safetensors"));
        var options = Options();
        options.Offline = true;

        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/partial@" + repo.Commit, options));
        StringAssert.Contains(error.Message, "model.safetensors");
    }

    [TestMethod]
    public async Task UnreachableHub_FallsBackToCachedSnapshot()
    {
        Server.Add(FakeHubRepo.Generated("org/fallback", "model.safetensors"));
        var options = Options();
        var folder = await ResolveAsync("org/fallback", options);
        await Server.DisposeAsync(); // nothing listens on the port any more

        Assert.AreEqual(folder, await ResolveAsync("org/fallback", options));
        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/not-cached", options));
        StringAssert.Contains(error.Message, "HF_HUB_OFFLINE");
    }

    [TestMethod]
    public async Task LocalFolder_IsReturnedAsIs()
    {
        var local = NewFolder();
        Assert.AreEqual(local, await ResolveAsync(local));
        Assert.AreEqual(0, Server.Requests.Count);
    }
}
