using Microsoft.ML.ConvDeberta.Hub;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>Per-test fake Hub server and empty cache folder; options never read the process environment.</summary>
public abstract class HubTestBase
{
    private readonly List<string> folders = [];

    internal FakeHubServer Server { get; private set; } = null!;

    internal string CacheDir { get; private set; } = null!;

    [TestInitialize]
    public void StartServer()
    {
        Server = new FakeHubServer();
        CacheDir = NewFolder();
    }

    [TestCleanup]
    public async Task StopServer()
    {
        await Server.DisposeAsync();
        foreach (var folder in folders)
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
    }

    /// <summary>Options pointing at the fake server and the test's cache, with no token and fast retries.</summary>
    internal HubOptions Options(string? token = null) => new(_ => null)
    {
        Endpoint = Server.Endpoint,
        CacheDir = CacheDir,
        Token = token,
        RetryDelay = TimeSpan.Zero,
        Timeout = TimeSpan.FromSeconds(10),
    };

    internal string NewFolder()
    {
        var folder = Path.Combine(Path.GetTempPath(), "convdeberta-hub-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(folder);
        folders.Add(folder);
        return folder;
    }

    internal async Task<string> ResolveAsync(string checkpoint, HubOptions? options = null, IProgress<HubDownloadProgress>? progress = null, CancellationToken ct = default)
    {
        using var client = new HubClient(options ?? Options());
        return await client.ResolveAsync(checkpoint, progress, ct);
    }

    /// <summary>Fast byte comparison (CollectionAssert boxes every element: seconds for a few MB).</summary>
    internal static void AssertSameBytes(byte[] expected, string path, string? message = null)
    {
        var actual = File.ReadAllBytes(path);
        Assert.IsTrue(expected.AsSpan().SequenceEqual(actual), $"{message ?? path}: {actual.Length} bytes on disk differ from the {expected.Length} served");
    }

    /// <summary>A synchronous progress sink (Progress&lt;T&gt; posts asynchronously, too late for assertions).</summary>
    internal sealed class ProgressLog(Action<HubDownloadProgress>? onReport = null) : IProgress<HubDownloadProgress>
    {
        public List<HubDownloadProgress> Reports { get; } = [];

        public void Report(HubDownloadProgress value)
        {
            lock (Reports) Reports.Add(value);
            onReport?.Invoke(value);
        }
    }
}
