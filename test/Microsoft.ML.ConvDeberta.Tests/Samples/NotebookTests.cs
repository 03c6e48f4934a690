using System.Text.Json;
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

    [TestMethod, TestCategory("Notebooks")]
    [DynamicData(nameof(Notebooks))]
    public void NotebookIsAPolyglotCSharpNotebook(string notebook)
    {
        // What VS Code Polyglot and Jupyter's .NET kernel need to open the file as a C# notebook (nbformat 4).
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(SharedData.RepoRoot, "samples", "Notebooks", notebook)));
        var root = doc.RootElement;
        Assert.AreEqual(4, root.GetProperty("nbformat").GetInt32(), $"{notebook}: nbformat");
        var metadata = root.GetProperty("metadata");
        Assert.AreEqual(".net-csharp", metadata.GetProperty("kernelspec").GetProperty("name").GetString(), $"{notebook}: kernelspec.name");
        Assert.AreEqual("C#", metadata.GetProperty("kernelspec").GetProperty("language").GetString(), $"{notebook}: kernelspec.language");
        Assert.AreEqual("polyglot-notebook", metadata.GetProperty("language_info").GetProperty("name").GetString(), $"{notebook}: language_info.name");
        var cells = root.GetProperty("cells").EnumerateArray().ToList();
        var code = cells.Where(c => c.GetProperty("cell_type").GetString() == "code").ToList();
        Assert.IsTrue(code.Count > 0 && cells.Count > code.Count, $"{notebook}: needs code and markdown cells");
        foreach (var cell in code)
        {
            Assert.AreEqual(JsonValueKind.Array, cell.GetProperty("outputs").ValueKind, $"{notebook}: a code cell without an outputs array");
            Assert.IsTrue(cell.TryGetProperty("execution_count", out _), $"{notebook}: a code cell without execution_count");
            Assert.AreEqual("csharp", cell.GetProperty("metadata").GetProperty("dotnet_interactive").GetProperty("language").GetString(), $"{notebook}: a code cell that is not C#");
        }
        var first = string.Concat(code[0].GetProperty("source").EnumerateArray().Select(s => s.GetString()));
        StringAssert.Contains(first, "#r \"nuget: Microsoft.ML.ConvDeberta,", $"{notebook}: the first code cell must reference the package");
        StringAssert.Contains(first, "#r \"nuget: libtorch-cpu-linux-x64,", $"{notebook}: the first code cell must reference a native TorchSharp backend");
    }

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
        // The notebook's own console lines (progress, metrics) go to the test log; build warnings and HTML/SVG do not.
        foreach (var line in result.Output.Split('\n').Where(l => !l.TrimStart().StartsWith('<') && !l.Contains(": warning ")))
            Console.WriteLine(line.TrimEnd());
    }
}
