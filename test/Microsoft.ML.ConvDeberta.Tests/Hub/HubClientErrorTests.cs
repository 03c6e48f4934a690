using Microsoft.ML.ConvDeberta.Hub;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>Gated, missing and malformed inputs fail with messages that name the repository, the file and the fix.</summary>
[TestClass]
public class HubClientErrorTests : HubTestBase
{
    [TestMethod]
    public async Task GatedRepo_WithoutToken_NamesHfToken_AndWorksWithIt()
    {
        Server.Add(new FakeHubRepo("org/gated", FakeHubRepo.Generated("x", "model.safetensors").Files) { RequiredToken = "hf_good" });

        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/gated"));
        Assert.AreEqual(401, error.StatusCode);
        StringAssert.Contains(error.Message, "HF_TOKEN");
        StringAssert.Contains(error.Message, "org/gated");

        var wrong = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/gated", Options(token: "hf_bad")));
        StringAssert.Contains(wrong.Message, "token");

        var folder = await ResolveAsync("org/gated", Options(token: "hf_good"));
        Assert.IsTrue(File.Exists(Path.Combine(folder, "model.safetensors")));
        Assert.AreEqual("Bearer hf_good", Server.Requests.Last().Header("Authorization"));
    }

    [TestMethod]
    public async Task MissingConfig_NamesRepoAndFile()
    {
        var repo = FakeHubRepo.Generated("org/no-config", "model.safetensors");
        repo.Files.Remove("config.json");
        Server.Add(repo);

        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/no-config"));
        StringAssert.Contains(error.Message, "org/no-config");
        StringAssert.Contains(error.Message, "config.json");
        Assert.AreEqual("config.json", error.FileName);
    }

    [TestMethod]
    public async Task NoWeights_ListsEveryFormatTried()
    {
        Server.Add(FakeHubRepo.Generated("org/no-weights"));
        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/no-weights"));
        foreach (var file in new[] { "model.safetensors", "model.safetensors.index.json", "pytorch_model.bin", "pytorch_model.bin.index.json" })
            StringAssert.Contains(error.Message, file);
    }

    [TestMethod]
    public async Task UnknownRepoAndRevision_SayWhichIsMissing()
    {
        Server.Add(FakeHubRepo.Generated("org/exists", "model.safetensors"));

        var repoError = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/does-not-exist"));
        StringAssert.Contains(repoError.Message, "'org/does-not-exist' was not found");
        var revisionError = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/exists@no-such-branch"));
        StringAssert.Contains(revisionError.Message, "Revision 'no-such-branch' was not found");
    }

    [TestMethod]
    public async Task ShardIndexEscapingTheRepo_IsRejected()
    {
        var repo = Server.Add(FakeHubRepo.Generated("org/evil"));
        repo.Files["model.safetensors.index.json"] = """{"weight_map":{"w":"../../../outside.bin"}}"""u8.ToArray();

        var error = await Assert.ThrowsExactlyAsync<HubException>(() => ResolveAsync("org/evil"));
        StringAssert.Contains(error.Message, "../../../outside.bin");
    }

    [TestMethod]
    public async Task NeitherFolderNorRepoId_IsAnArgumentError()
    {
        var error = await Assert.ThrowsExactlyAsync<ArgumentException>(() => ResolveAsync("/no/such/folder"));
        StringAssert.Contains(error.Message, "not an existing folder");
        await Assert.ThrowsExactlyAsync<ArgumentException>(() => ResolveAsync("org/name@"));
        var file = Path.Combine(NewFolder(), "config.json");
        File.WriteAllText(file, "{}");
        StringAssert.Contains((await Assert.ThrowsExactlyAsync<ArgumentException>(() => ResolveAsync(file))).Message, "is a file");
        var options = Options();
        options.Revision = "v2";
        var conflict = await Assert.ThrowsExactlyAsync<ArgumentException>(() => ResolveAsync("org/name@v1", options));
        StringAssert.Contains(conflict.Message, "HubOptions.Revision");
        Assert.AreEqual(0, Server.Requests.Count);
    }

    [TestMethod]
    public void InvalidOptions_NameTheProperty()
    {
        var options = Options();
        options.Endpoint = "not a url";
        var error = Assert.ThrowsExactly<ArgumentException>(() => new HubClient(options));
        StringAssert.Contains(error.Message, "HubOptions.Endpoint");
    }
}
