using System.Text.Json;
using Microsoft.ML.ConvDeberta.Tests.Infrastructure;

namespace Microsoft.ML.ConvDeberta.Tests.Checkpoints;

/// <summary>The reference model case folders, as test rows, and their expected.json "weights" section.</summary>
internal static class ReferenceCases
{
    private const string Missing = "(reference folder missing)";

    public static IEnumerable<object[]> All()
    {
        var cases = ReferenceCase.Discover(Path.Combine(SharedData.ReferenceDir, "models")).ToList();
        if (cases.Count == 0) return [[Missing]];
        return cases.Select(c => new object[] { c });
    }

    public static JsonElement Weights(string folder)
    {
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(folder, "expected.json")));
        return doc.RootElement.GetProperty("weights").Clone();
    }
}
