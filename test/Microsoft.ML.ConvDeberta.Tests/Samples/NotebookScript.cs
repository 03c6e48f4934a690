using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Microsoft.ML.ConvDeberta.Tests.Samples;

/// <summary>
/// Turns a Polyglot/Jupyter C# notebook into a .NET file-based app (<c>dotnet run file.cs</c>): code cells in order,
/// <c>#r "nuget: …"</c> directives become <c>#:package</c> (the library itself becomes <c>#:project</c> so the test
/// exercises the working tree), and the notebook's <c>display</c>/<c>HTML</c> helpers print to the console.
/// </summary>
internal static partial class NotebookScript
{
    [GeneratedRegex("""^#r\s+"nuget:\s*([^,"]+?)\s*(?:,\s*([^"]+?))?\s*"\s*$""")]
    private static partial Regex NugetReference();

    [GeneratedRegex("""^#i\s+"nuget:.*$""")]
    private static partial Regex NugetSource();

    public static string Convert(string notebookPath, string libraryProject)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(notebookPath));
        var directives = new List<string> { "#:property PublishAot=false", $"#:project {libraryProject}" };
        var body = new StringBuilder();
        int cellIndex = 0;
        foreach (var cell in doc.RootElement.GetProperty("cells").EnumerateArray())
        {
            cellIndex++;
            if (cell.GetProperty("cell_type").GetString() != "code" || !IsCSharp(cell)) continue;
            body.AppendLine($"// ---- cell {cellIndex}");
            foreach (var line in SourceLines(cell))
            {
                var trimmed = line.TrimEnd();
                var match = NugetReference().Match(trimmed);
                if (match.Success)
                {
                    var id = match.Groups[1].Value;
                    if (!id.Equals("Microsoft.ML.ConvDeberta", StringComparison.OrdinalIgnoreCase))
                        directives.Add($"#:package {id}@{match.Groups[2].Value}");
                    continue;
                }
                if (NugetSource().IsMatch(trimmed)) continue;
                body.AppendLine(line.TrimEnd('\r', '\n'));
            }
        }
        // A file-based app needs usings first and type declarations after the top-level statements.
        var lines = body.ToString().Split('\n');
        var usings = lines.Where(l => l.StartsWith("using ", StringComparison.Ordinal) && l.TrimEnd().EndsWith(';')).Distinct().ToList();
        var statements = new StringBuilder();
        var types = new StringBuilder();
        for (int i = 0; i < lines.Length; i++)
        {
            if (usings.Contains(lines[i])) continue;
            if (!TypeDeclaration().IsMatch(lines[i])) { statements.AppendLine(lines[i]); continue; }
            int depth = 0; bool opened = false;
            for (; i < lines.Length; i++)
            {
                types.AppendLine(lines[i]);
                depth += lines[i].Count(c => c == '{') - lines[i].Count(c => c == '}');
                opened |= lines[i].Contains('{');
                if ((opened && depth <= 0) || (!opened && lines[i].TrimEnd().EndsWith(';'))) break;
            }
        }
        return string.Join('\n', directives.Distinct()) + "\n" + string.Join('\n', usings) + "\n" + statements
            + "\nSystem.Console.WriteLine(\"NOTEBOOK-DONE\");\n" + Shim + "\n" + types;
    }

    [GeneratedRegex(@"^(public |internal |sealed |abstract |static |partial )*(class|record|struct|enum|interface) ")]
    private static partial Regex TypeDeclaration();

    private static bool IsCSharp(JsonElement cell)
    {
        if (cell.TryGetProperty("metadata", out var meta) && meta.TryGetProperty("dotnet_interactive", out var di)
            && di.TryGetProperty("language", out var lang))
            return lang.GetString() == "csharp";
        return true;
    }

    private static IEnumerable<string> SourceLines(JsonElement cell)
    {
        var source = cell.GetProperty("source");
        var text = source.ValueKind == JsonValueKind.Array
            ? string.Concat(source.EnumerateArray().Select(s => s.GetString()))
            : source.GetString() ?? "";
        return text.Split('\n');
    }

    // Polyglot's display helpers, printed to the console when the notebook runs as a script.
    private const string Shim = """

        // ---- notebook shim (added by the test)
        static void display(object? value) => System.Console.WriteLine(value);
        static string HTML(string html) => html;
        """;
}
