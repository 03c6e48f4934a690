namespace Microsoft.ML.ConvDeberta.Benchmarks;

/// <summary>The shared reference/data folders beside the repository (or $CONVDEBERTA_REFERENCE_DIR).</summary>
internal static class SharedFolders
{
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "global.json"))) dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Run the benchmarks from inside the repository.");
        }
    }

    public static string Reference =>
        Environment.GetEnvironmentVariable("CONVDEBERTA_REFERENCE_DIR") is { Length: > 0 } d ? d : Path.Combine(RepoRoot, "..", "shared", "reference");

    public static string Data => Path.Combine(RepoRoot, "..", "shared", "data");

    public static string Require(string path) =>
        Directory.Exists(path) || File.Exists(path) ? path : throw new DirectoryNotFoundException($"Benchmark input '{path}' not found: it needs the shared folder beside the repository.");
}
