using System.Text.Json;
using Microsoft.ML.ConvDeberta.Checkpoints.SafeTensors;
using static TorchSharp.torch;

namespace Microsoft.ML.ConvDeberta.Tests.Infrastructure;

/// <summary>
/// One reference case folder (config.json, weights, expected.json, expected.safetensors) as produced by the
/// Python reference. Nothing about the case's configuration is assumed: everything comes from its files.
/// </summary>
public sealed class ReferenceCase : IDisposable
{
    public string Directory { get; }
    public string Name { get; }
    public JsonElement Json { get; }
    public Dictionary<string, Tensor> Tensors { get; }

    public ReferenceCase(string directory, string name)
    {
        Directory = directory;
        Name = name;
        using var doc = JsonDocument.Parse(File.ReadAllText(Path.Combine(directory, "expected.json")));
        Json = doc.RootElement.Clone();
        Tensors = SafeTensorsReader.Load(Path.Combine(directory, "expected.safetensors"));
    }

    public string ModelClass => Json.GetProperty("model_class").GetString()!;
    public string HeadName => Json.GetProperty("head").GetString()!;

    /// <summary>forward argument name → tensor name in expected.safetensors.</summary>
    public IReadOnlyDictionary<string, string> ForwardKwargs(JsonElement? call = null) =>
        (call ?? Json).GetProperty("forward_kwargs").EnumerateObject().ToDictionary(p => p.Name, p => p.Value.GetString()!);

    /// <summary>Entries of "tensors" whose role is in <paramref name="roles"/>.</summary>
    public IEnumerable<(string Name, JsonElement Spec)> TensorsWithRole(params string[] roles) =>
        Json.GetProperty("tensors").EnumerateObject()
            .Where(p => roles.Contains(p.Value.GetProperty("role").GetString()))
            .Select(p => (p.Name, p.Value));

    public static double Tolerance(JsonElement spec, string name, double fallback) =>
        spec.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : fallback;

    /// <summary>Every case folder (holding expected.json) under <paramref name="root"/>, as a path relative to it.</summary>
    public static IEnumerable<string> Discover(string root) =>
        System.IO.Directory.Exists(root)
            ? System.IO.Directory.EnumerateFiles(root, "expected.json", SearchOption.AllDirectories)
                .Select(f => Path.GetRelativePath(root, Path.GetDirectoryName(f)!).Replace('\\', '/'))
                .OrderBy(s => s, StringComparer.Ordinal)
            : [];

    public void Dispose()
    {
        foreach (var t in Tensors.Values) t.Dispose();
    }
}
