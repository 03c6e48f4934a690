using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Samples;

/// <summary>Executes every notebook under samples/Notebooks as a file-based app, so a broken notebook fails CI.</summary>
[TestClass]
public class NotebookTests
{
    public static IEnumerable<object[]> Notebooks() =>
        Directory.EnumerateFiles(Path.Combine(SharedData.RepoRoot, "samples", "Notebooks"), "*.ipynb")
            .Order(StringComparer.Ordinal)
            .Select(p => new object[] { Path.GetFileName(p) });

    [TestMethod, TestCategory("Notebooks"), Timeout(900_000)]
    [DynamicData(nameof(Notebooks))]
    public void NotebookRunsToTheEnd(string notebook)
    {
        var notebooks = Path.Combine(SharedData.RepoRoot, "samples", "Notebooks");
        var library = Path.Combine(SharedData.RepoRoot, "src", "Microsoft.ML.ConvDeberta", "Microsoft.ML.ConvDeberta.csproj");
        // Generated under the repository so Directory.Build.* (the libstdc++ fix) apply; artifacts/ is git-ignored.
        var folder = Directory.CreateDirectory(Path.Combine(SharedData.RepoRoot, "artifacts", "notebooks", Path.GetFileNameWithoutExtension(notebook))).FullName;
        var script = Path.Combine(folder, Path.GetFileNameWithoutExtension(notebook).Replace('-', '_') + ".cs");
        File.WriteAllText(script, NotebookScript.Convert(Path.Combine(notebooks, notebook), library));
        var result = ProcessRunner.Run("dotnet", $"run -c Release \"{script}\"", notebooks, TimeSpan.FromMinutes(12),
            new Dictionary<string, string> { ["CONVDEBERTA_NOTEBOOK_TEST"] = "1" });
        result.AssertSuccess($"notebook {notebook}");
        StringAssert.Contains(result.Output, "NOTEBOOK-DONE", $"notebook {notebook} did not reach its last cell");
    }
}
