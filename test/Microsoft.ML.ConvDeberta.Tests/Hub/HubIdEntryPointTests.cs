using Microsoft.ML.ConvDeberta.Models;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;
using Microsoft.ML.ConvDeberta.Tokenization;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>
/// The public entry points accept a Hub id and honour the standard environment variables (HF_ENDPOINT,
/// HF_HUB_CACHE, HF_HUB_OFFLINE), like Python's from_pretrained. The suite runs test classes one at a time, so
/// setting process variables here is safe; they are restored afterwards.
/// </summary>
[TestClass]
public class HubIdEntryPointTests : HubTestBase
{
    [TestMethod]
    public void TokenizerAndModelLoadFromAHubIdThroughTheEnvironment()
    {
        var source = SharedData.Reference("checkpoints", "tiny-convbert-seqcls");
        var files = Directory.GetFiles(source).Where(p => !Path.GetFileName(p).StartsWith("expected", StringComparison.Ordinal))
            .ToDictionary(p => Path.GetFileName(p), File.ReadAllBytes);
        Server.Add(new FakeHubRepo("org/tiny-convbert", files));
        using var environment = new EnvironmentScope(("HF_ENDPOINT", Server.Endpoint), ("HF_HUB_CACHE", CacheDir), ("HF_HUB_OFFLINE", null), ("HF_TOKEN", null));

        var tokenizer = TransformerTokenizer.FromPretrained("org/tiny-convbert");
        Assert.AreEqual(101, tokenizer.ClsTokenId);
        var (model, _) = PretrainedModels.Load("org/tiny-convbert", TaskHead.SequenceClassification);
        model.Dispose();
        Assert.IsTrue(Directory.Exists(Path.Combine(CacheDir, "models--org--tiny-convbert", "snapshots")), "downloaded into the HF cache layout");

        // Offline, the cache alone serves the same id.
        int requests = Server.Requests.Count;
        using var offline = new EnvironmentScope(("HF_HUB_OFFLINE", "1"));
        Assert.AreEqual(101, TransformerTokenizer.FromPretrained("org/tiny-convbert").ClsTokenId);
        Assert.AreEqual(requests, Server.Requests.Count, "offline mode made a request");
    }

    [TestMethod]
    public void AMissingLocalPathIsNotMistakenForAHubId()
    {
        var e = Assert.ThrowsExactly<DirectoryNotFoundException>(() => TransformerTokenizer.FromPretrained("/no/such/checkpoint/folder"));
        StringAssert.Contains(e.Message, "/no/such/checkpoint/folder");
    }

    private sealed class EnvironmentScope : IDisposable
    {
        private readonly List<(string Name, string? Old)> saved = [];

        public EnvironmentScope(params (string Name, string? Value)[] values)
        {
            foreach (var (name, value) in values)
            {
                saved.Add((name, Environment.GetEnvironmentVariable(name)));
                Environment.SetEnvironmentVariable(name, value);
            }
        }

        public void Dispose()
        {
            foreach (var (name, old) in saved) Environment.SetEnvironmentVariable(name, old);
        }
    }
}
