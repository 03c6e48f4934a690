using Microsoft.ML.ConvDeberta.Hub;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>Environment defaults follow huggingface_hub's precedence; read through a lookup, never the process environment.</summary>
[TestClass]
public class HubOptionsTests
{
    private static HubOptions From(params (string Name, string Value)[] variables)
    {
        var map = variables.ToDictionary(v => v.Name, v => v.Value);
        return new HubOptions(name => map.GetValueOrDefault(name));
    }

    [TestMethod]
    public void CacheDir_FollowsHuggingFaceHubPrecedence()
    {
        Assert.AreEqual(Path.Combine("/home/u", ".cache", "huggingface", "hub"), From(("HOME", "/home/u")).CacheDir);
        Assert.AreEqual(Path.Combine("/xdg", "huggingface", "hub"), From(("HOME", "/home/u"), ("XDG_CACHE_HOME", "/xdg")).CacheDir);
        Assert.AreEqual(Path.Combine("/hf", "hub"), From(("XDG_CACHE_HOME", "/xdg"), ("HF_HOME", "/hf")).CacheDir);
        Assert.AreEqual(Path.Combine("/home/u", "hf", "hub"), From(("HOME", "/home/u"), ("HF_HOME", "~/hf")).CacheDir);
        Assert.AreEqual("/legacy", From(("HF_HOME", "/hf"), ("HUGGINGFACE_HUB_CACHE", "/legacy")).CacheDir);
        Assert.AreEqual("/hub", From(("HF_HOME", "/hf"), ("HUGGINGFACE_HUB_CACHE", "/legacy"), ("HF_HUB_CACHE", "/hub")).CacheDir);
    }

    [TestMethod]
    public void Endpoint_DefaultsToHuggingFaceCo_AndHonoursHfEndpoint()
    {
        Assert.AreEqual("https://huggingface.co", From().Endpoint);
        Assert.AreEqual("https://hf-mirror.example", From(("HF_ENDPOINT", "https://hf-mirror.example/")).Endpoint);
    }

    [TestMethod]
    public void Token_ComesFromHfToken_ThenLegacyVariable_ThenTokenFile()
    {
        var home = Path.Combine(Path.GetTempPath(), "convdeberta-hub-token-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(home);
        try
        {
            Assert.IsNull(From(("HF_HOME", home)).Token);
            File.WriteAllText(Path.Combine(home, "token"), "hf_from_file\n");
            Assert.AreEqual("hf_from_file", From(("HF_HOME", home)).Token);
            Assert.AreEqual("hf_legacy", From(("HF_HOME", home), ("HUGGING_FACE_HUB_TOKEN", "hf_legacy")).Token);
            Assert.AreEqual("hf_env", From(("HF_HOME", home), ("HUGGING_FACE_HUB_TOKEN", "hf_legacy"), ("HF_TOKEN", "hf_env")).Token);
        }
        finally
        {
            Directory.Delete(home, recursive: true);
        }
    }

    [TestMethod]
    [DataRow("1", true), DataRow("TRUE", true), DataRow("yes", true), DataRow("On", true)]
    [DataRow("0", false), DataRow("false", false), DataRow("", false)]
    public void Offline_AcceptsHuggingFaceTruthySpellings(string value, bool expected) =>
        Assert.AreEqual(expected, From(("HF_HUB_OFFLINE", value)).Offline);

    [TestMethod]
    public void Validate_RejectsBadSettingsByName()
    {
        foreach (var (configure, property) in new (Action<HubOptions>, string)[]
                 {
                     (o => o.Endpoint = "ftp://x", "Endpoint"), (o => o.CacheDir = " ", "CacheDir"),
                     (o => o.MaxRetries = -1, "MaxRetries"), (o => o.Timeout = TimeSpan.Zero, "Timeout"),
                 })
        {
            var options = From();
            configure(options);
            var error = Assert.ThrowsExactly<ArgumentException>(options.Validate);
            StringAssert.Contains(error.Message, property);
        }
    }

    [TestMethod]
    public void Client_CopiesItsOptions()
    {
        var options = From(("HF_HUB_CACHE", "/first"));
        using var client = new HubClient(options);
        options.CacheDir = "/second";
        options.Endpoint = "http://elsewhere";
        Assert.AreEqual("/first", client.CacheDir);
        Assert.AreEqual(HubOptions.DefaultEndpoint, client.Endpoint);
    }
}
