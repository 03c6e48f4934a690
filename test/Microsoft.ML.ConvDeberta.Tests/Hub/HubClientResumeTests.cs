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

        CollectionAssert.AreEqual(repo.Files[Weights], File.ReadAllBytes(Path.Combine(folder, Weights)));
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
        CollectionAssert.AreEqual(repo.Files[Weights], File.ReadAllBytes(Path.Combine(folder, Weights)));
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
        CollectionAssert.AreEqual(repo.Files[Weights], File.ReadAllBytes(Path.Combine(folder, Weights)));
        Assert.IsNotNull(Server.For(Weights).Last(r => r.Method == "GET").Header("Range"), "the second run resumes");
    }

    [TestMethod]
    public async Task PreCancelledToken_MakesNoRequest()
    {
        Server.Add(FakeHubRepo.Generated("org/never", Weights));
        await Assert.ThrowsAsync<OperationCanceledException>(() => ResolveAsync("org/never", ct: new CancellationToken(true)));
        Assert.AreEqual(0, Server.Requests.Count);
    }
}
