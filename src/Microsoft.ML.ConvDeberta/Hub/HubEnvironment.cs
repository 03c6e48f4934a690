namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>Reads the environment variables of Python's <c>huggingface_hub</c> (constants.py) with its precedence.</summary>
internal static class HubEnvironment
{
    /// <summary>A variable's value, or null when unset or blank.</summary>
    public static string? Value(Func<string, string?> environment, string name) =>
        environment(name) is { } value && !string.IsNullOrWhiteSpace(value) ? value.Trim() : null;

    /// <summary>huggingface_hub's truthy spellings: 1, true, yes, on (any case).</summary>
    public static bool IsTrue(string? value) =>
        value != null && (value.Equals("1") || value.Equals("true", StringComparison.OrdinalIgnoreCase)
            || value.Equals("yes", StringComparison.OrdinalIgnoreCase) || value.Equals("on", StringComparison.OrdinalIgnoreCase));

    /// <summary><c>HF_HOME</c>, else <c>$XDG_CACHE_HOME/huggingface</c>, else <c>~/.cache/huggingface</c>.</summary>
    public static string HfHome(Func<string, string?> environment)
    {
        if (Value(environment, "HF_HOME") is { } home) return ExpandHome(home, environment);
        var xdg = Value(environment, "XDG_CACHE_HOME") is { } cache ? ExpandHome(cache, environment) : Path.Combine(UserHome(environment), ".cache");
        return Path.Combine(xdg, "huggingface");
    }

    /// <summary><c>HF_HUB_CACHE</c>, else the legacy <c>HUGGINGFACE_HUB_CACHE</c>, else <c>{hfHome}/hub</c>.</summary>
    public static string HubCache(Func<string, string?> environment, string hfHome) =>
        (Value(environment, "HF_HUB_CACHE") ?? Value(environment, "HUGGINGFACE_HUB_CACHE")) is { } cache
            ? ExpandHome(cache, environment)
            : Path.Combine(hfHome, "hub");

    /// <summary><c>HF_TOKEN</c>, else <c>HUGGING_FACE_HUB_TOKEN</c>, else the first line of the login token file.</summary>
    public static string? Token(Func<string, string?> environment, string hfHome)
    {
        if ((Value(environment, "HF_TOKEN") ?? Value(environment, "HUGGING_FACE_HUB_TOKEN")) is { } token) return token;
        var path = Value(environment, "HF_TOKEN_PATH") is { } custom ? ExpandHome(custom, environment) : Path.Combine(hfHome, "token");
        try
        {
            return File.Exists(path) ? File.ReadLines(path).FirstOrDefault()?.Trim() is { Length: > 0 } saved ? saved : null : null;
        }
        catch (IOException)
        {
            return null; // an unreadable token file is the same as none: the request then fails with a clear 401 message
        }
        catch (UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static string ExpandHome(string path, Func<string, string?> environment) =>
        path == "~" || path.StartsWith("~/", StringComparison.Ordinal) ? UserHome(environment) + path[1..] : path;

    private static string UserHome(Func<string, string?> environment) =>
        Value(environment, "HOME") ?? Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
}
