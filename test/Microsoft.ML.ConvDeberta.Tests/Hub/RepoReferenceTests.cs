using Microsoft.ML.ConvDeberta.Hub;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

[TestClass]
public class RepoReferenceTests
{
    [TestMethod]
    [DataRow("microsoft/deberta-v3-base", null, "microsoft/deberta-v3-base", "main")]
    [DataRow("microsoft/deberta-v3-base@v1.0", null, "microsoft/deberta-v3-base", "v1.0")]
    [DataRow("YituTech/conv-bert-base", "refs/pr/1", "YituTech/conv-bert-base", "refs/pr/1")]
    [DataRow("bert-base-uncased", null, "bert-base-uncased", "main")]
    [DataRow("org/name@v2", "v2", "org/name", "v2")]
    public void Parses(string text, string? option, string repoId, string revision)
    {
        var repo = RepoReference.TryParse(text, option, out var error);
        Assert.IsNull(error);
        Assert.AreEqual(new RepoReference(repoId, revision), repo);
    }

    [TestMethod]
    [DataRow("a/b/c"), DataRow("/abs/path"), DataRow("./local"), DataRow("org/na--me"), DataRow("org/x.git"), DataRow("org/name@"),
     DataRow("org/name@../../etc"), DataRow("org name/x"), DataRow("org/.hidden"), DataRow("org/name-")]
    public void RejectsWhatIsNotARepoId(string text)
    {
        Assert.IsNull(RepoReference.TryParse(text, null, out var error));
        Assert.IsFalse(string.IsNullOrEmpty(error));
    }

    [TestMethod]
    public void CacheFolderName_AndCommitDetection_MatchHuggingFaceHub()
    {
        var repo = new RepoReference("microsoft/deberta-v3-base", new string('a', 40));
        Assert.AreEqual("models--microsoft--deberta-v3-base", repo.CacheFolderName);
        Assert.IsTrue(repo.RevisionIsCommit);
        Assert.IsFalse(RepoReference.IsCommitHash("main"));
        Assert.IsFalse(RepoReference.IsCommitHash(new string('A', 40)));
    }
}
