namespace Microsoft.ML.ConvDeberta.Tests.Infrastructure;

/// <summary>
/// Locates the shared reference and data folders. A user's clone may lack them: tests then report
/// Inconclusive naming the folder. Under CI=true their absence is a failure.
/// </summary>
public static class SharedData
{
    /// <summary>The reference folder: $CONVDEBERTA_REFERENCE_DIR or ../shared/reference beside the repository.</summary>
    public static string ReferenceDir =>
        Environment.GetEnvironmentVariable("CONVDEBERTA_REFERENCE_DIR") is { Length: > 0 } dir
            ? Path.GetFullPath(dir)
            : Path.Combine(SharedRoot, "reference");

    /// <summary>The shared datasets folder (../shared/data).</summary>
    public static string DataDir => Path.Combine(SharedRoot, "data");

    /// <summary>../shared relative to the repository root.</summary>
    public static string SharedRoot => Path.GetFullPath(Path.Combine(RepoRoot, "..", "shared"));

    /// <summary>The repository root (the folder holding global.json).</summary>
    public static string RepoRoot
    {
        get
        {
            var dir = new DirectoryInfo(AppContext.BaseDirectory);
            while (dir != null && !File.Exists(Path.Combine(dir.FullName, "global.json")))
                dir = dir.Parent;
            return dir?.FullName ?? throw new InvalidOperationException("Could not find the repository root (global.json) above " + AppContext.BaseDirectory);
        }
    }

    /// <summary>True when running under CI (CI=true), where missing shared data is an error.</summary>
    public static bool IsCI => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    /// <summary>Returns the path if it exists; otherwise marks the test Inconclusive (or fails under CI).</summary>
    public static string Require(string path)
    {
        if (File.Exists(path) || Directory.Exists(path)) return path;
        var message = $"Shared test data not found: '{path}'. Clone or copy the shared folder beside the repository (../shared), or set CONVDEBERTA_REFERENCE_DIR.";
        if (IsCI) Assert.Fail(message);
        Assert.Inconclusive(message);
        return path;
    }

    /// <summary>A folder under the reference directory, required to exist.</summary>
    public static string Reference(params string[] parts) => Require(Path.Combine([ReferenceDir, .. parts]));

    /// <summary>A folder under the shared data directory, required to exist.</summary>
    public static string Data(params string[] parts) => Require(Path.Combine([DataDir, .. parts]));
}
