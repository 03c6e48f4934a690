using Microsoft.ML.ConvDeberta.Hub;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>Interrupted downloads resume with Range requests; cancellation keeps the partial file.</summary>
[TestClass]
public class HubClientResumeTests : HubTestBase
{
    private const string Weights = "model.safetensors";

    [TestMethod]
    public async Task DroppedConnection_IsResumedWithRangeInTheSameCall()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/flaky", Weights));
        repo.DropOnceAfter[Weights] = 100_000;
        var folder = await ResolveAsync("org/flaky");

        AssertSameBytes(repo.Files[Weights], Path.Combine(folder, Weights));
        var gets = Server.For(Weights).Where(r => r.Method == "GET").ToList();
        Assert.AreEqual(2, gets.Count);
        Assert.IsNull(gets[0].Header("Range"));
        Assert.AreEqual("bytes=100000-", gets[1].Header("Range"));
    }

    [TestMethod]
    public async Task DroppedConnectionFromCdn_WithoutRetries_ResumesOnTheNextRun()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/flaky-cdn", Weights));
        repo.CdnFiles.Add(Weights);
        repo.DropOnceAfter[Weights] = 70_000;
        var options = Options();
        options.MaxRetries = 0;

        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/flaky-cdn", options));
        StringAssert.Contains(error.Message, "resume");
        var partial = Path.Combine(CacheDir, "models--org--flaky-cdn", "blobs", repo.ETag(Weights) + ".incomplete");
        Assert.AreEqual(70_000, new FileInfo(partial).Length);
        Assert.IsFalse(File.Exists(Path.Combine(CacheDir, "models--org--flaky-cdn", "blobs", repo.ETag(Weights))), "no blob before it is complete");

        var folder = await ResolveAsync("org/flaky-cdn", options);
        AssertSameBytes(repo.Files[Weights], Path.Combine(folder, Weights));
        Assert.AreEqual("bytes=70000-", Server.Requests.Last(r => r.Path.StartsWith("/cdn/")).Header("Range"));
        Assert.IsFalse(File.Exists(partial));
    }

    [TestMethod]
    public async Task Cancellation_StopsTheDownloadAndKeepsThePartialFile()
    {
        var repo = FakeHubRepo.Generated("org/cancel");
        repo.Files[Weights] = new byte[4_000_000]; // large enough that the first report comes long before the end
        Random.Shared.NextBytes(repo.Files[Weights]);
        Server.Add(repo);
        using var cts = new CancellationTokenSource();
        var log = new ProgressLog(p => { if (p.FileName == Weights && p.BytesDownloaded > 0) cts.Cancel(); });

        await Assert.ThrowsAsync<OperationCanceledException>(() => ResolveAsync("org/cancel", progress: log, ct: cts.Token));
        var partial = Path.Combine(CacheDir, "models--org--cancel", "blobs", repo.ETag(Weights) + ".incomplete");
        Assert.IsTrue(new FileInfo(partial).Length is > 0 and < 4_000_000, "a partial file is kept");

        var folder = await ResolveAsync("org/cancel");
        AssertSameBytes(repo.Files[Weights], Path.Combine(folder, Weights));
        Assert.IsNotNull(Server.For(Weights).Last(r => r.Method == "GET").Header("Range"), "the second run resumes");
    }

    [TestMethod]
    public async Task ServerIgnoringRange_RestartsFromZero()
    {
        var repo = new FakeHubRepo("org/no-range", FakeHubRepo.Generated("x", Weights).Files) { IgnoreRange = true };
        repo.DropOnceAfter[Weights] = 50_000;
        Server.Add(repo);
        var folder = await ResolveAsync("org/no-range");

        AssertSameBytes(repo.Files[Weights], Path.Combine(folder, Weights), "a 200 answer to a Range request replaces the partial file");
    }

    [TestMethod]
    public async Task StalePartialLargerThanTheFile_IsDiscarded()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/stale", Weights));
        var blobs = Path.Combine(CacheDir, "models--org--stale", "blobs");
        Directory.CreateDirectory(blobs);
        File.WriteAllBytes(Path.Combine(blobs, repo.ETag(Weights) + ".incomplete"), new byte[repo.Files[Weights].Length + 10]);

        var folder = await ResolveAsync("org/stale");
        AssertSameBytes(repo.Files[Weights], Path.Combine(folder, Weights));
        Assert.IsNull(Server.For(Weights).Last(r => r.Method == "GET").Header("Range"));
    }

    [TestMethod]
    public async Task ConcurrentResolves_DownloadEachBlobOnce()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/parallel", Weights));
        var folders = await Task.WhenAll(Enumerable.Range(0, 3).Select(_ => Task.Run(() => ResolveAsync("org/parallel"))));

        Assert.AreEqual(1, folders.Distinct().Count());
        Assert.AreEqual(1, Server.For(Weights).Count(r => r.Method == "GET"), "the blob lock makes the other callers wait and reuse it");
        AssertSameBytes(repo.Files[Weights], Path.Combine(folders[0], Weights));
    }

    [TestMethod]
    public async Task PreCancelledToken_MakesNoRequest()
    {
        Server.Add(FakeHubRepo.Generated("org/never", Weights));
        await Assert.ThrowsAsync<OperationCanceledException>(() => ResolveAsync("org/never", ct: new CancellationToken(true)));
        Assert.AreEqual(0, Server.Requests.Count);
    }
}
