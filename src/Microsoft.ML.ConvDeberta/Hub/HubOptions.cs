namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// Settings for <see cref="HubClient"/>. A new instance takes its defaults from the environment variables that the
/// Python <c>huggingface_hub</c> library reads, so Python and .NET share one cache and one login; set a property to
/// override its variable for this client only.
/// </summary>
/// <example><code>
/// var options = new HubOptions { Revision = "v1.0", Offline = false };
/// using var hub = new HubClient(options);
/// string folder = hub.Resolve("microsoft/deberta-v3-small");
/// </code></example>
public sealed class HubOptions
{
    /// <summary>The public Hugging Face Hub, used when <c>HF_ENDPOINT</c> is not set.</summary>
    public const string DefaultEndpoint = "https://huggingface.co";

    /// <summary>Creates options whose defaults come from the current process environment.</summary>
    public HubOptions() : this(Environment.GetEnvironmentVariable)
    {
    }

    /// <summary>Creates options whose defaults come from <paramref name="environment"/> (tests pass a dictionary lookup).</summary>
    internal HubOptions(Func<string, string?> environment)
    {
        var home = HubEnvironment.HfHome(environment);
        Endpoint = HubEnvironment.Value(environment, "HF_ENDPOINT")?.TrimEnd('/') ?? DefaultEndpoint;
        CacheDir = HubEnvironment.HubCache(environment, home);
        Token = HubEnvironment.Token(environment, home);
        Offline = HubEnvironment.IsTrue(HubEnvironment.Value(environment, "HF_HUB_OFFLINE"));
    }

    /// <summary>
    /// Base address of the Hub. Default: <c>HF_ENDPOINT</c>, else <see cref="DefaultEndpoint"/>.
    /// Files are fetched from <c>{Endpoint}/{org}/{name}/resolve/{revision}/{file}</c>.
    /// </summary>
    public string Endpoint { get; set; }

    /// <summary>
    /// Root of the shared cache (the folder holding <c>models--org--name</c>). Default: <c>HF_HUB_CACHE</c>, else
    /// <c>HUGGINGFACE_HUB_CACHE</c>, else <c>$HF_HOME/hub</c>, else <c>$XDG_CACHE_HOME/huggingface/hub</c>,
    /// else <c>~/.cache/huggingface/hub</c>.
    /// </summary>
    public string CacheDir { get; set; }

    /// <summary>
    /// Access token sent as <c>Authorization: Bearer</c> to the endpoint's host only (never to the CDN a download
    /// redirects to). Default: <c>HF_TOKEN</c>, else <c>HUGGING_FACE_HUB_TOKEN</c>, else the file written by
    /// <c>huggingface-cli login</c> (<c>HF_TOKEN_PATH</c> or <c>$HF_HOME/token</c>). Null sends no token.
    /// </summary>
    public string? Token { get; set; }

    /// <summary>
    /// Branch, tag or commit hash to fetch when the checkpoint argument carries no <c>@revision</c>. Default: null
    /// (meaning <c>main</c>).
    /// </summary>
    public string? Revision { get; set; }

    /// <summary>
    /// When true, never touch the network: resolve from the cache or fail with a message naming what is missing.
    /// Default: <c>HF_HUB_OFFLINE</c> is 1/true/yes/on.
    /// </summary>
    public bool Offline { get; set; }

    /// <summary>How many times an interrupted download is resumed (with an HTTP Range request) before giving up. Default: 5.</summary>
    public int MaxRetries { get; set; } = 5;

    /// <summary>Pause before the first retry, doubled on each further one. Default: 1 second.</summary>
    public TimeSpan RetryDelay { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>Longest wait for a response's headers, or between two chunks of a download. Default: 30 seconds.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>A copy, so a client is not affected by later changes.</summary>
    internal HubOptions Clone() => (HubOptions)MemberwiseClone();

    /// <summary>Checks the settings, naming the property to fix.</summary>
    internal void Validate()
    {
        if (!Uri.TryCreate(Endpoint, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new ArgumentException($"HubOptions.Endpoint '{Endpoint}' is not an absolute http(s) address (set HF_ENDPOINT or HubOptions.Endpoint, e.g. {DefaultEndpoint}).");
        if (string.IsNullOrWhiteSpace(CacheDir))
            throw new ArgumentException("HubOptions.CacheDir is empty: set it (or HF_HUB_CACHE / HF_HOME) to a writable folder.");
        if (MaxRetries < 0) throw new ArgumentException($"HubOptions.MaxRetries must be >= 0, got {MaxRetries}.");
        if (RetryDelay < TimeSpan.Zero) throw new ArgumentException($"HubOptions.RetryDelay must not be negative, got {RetryDelay}.");
        if (Timeout <= TimeSpan.Zero) throw new ArgumentException($"HubOptions.Timeout must be positive, got {Timeout}.");
    }
}
