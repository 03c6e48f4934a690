namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// Turns a checkpoint argument into a local Hugging Face model folder. An existing folder is returned as is; a
/// Hub id <c>org/name</c> (optionally <c>org/name@revision</c>) is downloaded into the standard Hugging Face cache
/// (shared with Python's <c>huggingface_hub</c>) and its snapshot folder is returned: config.json, the tokenizer
/// files the repository has, and its weights (model.safetensors, else the sharded safetensors, else
/// pytorch_model.bin, else the sharded .bin). Files already cached are not downloaded again.
/// </summary>
/// <example><code>
/// using var hub = new HubClient();
/// string folder = hub.Resolve("microsoft/deberta-v3-base", new Progress&lt;HubDownloadProgress&gt;(p =&gt; Console.WriteLine($"{p.FileName} {p.Fraction:P0}")));
/// </code></example>
public sealed class HubClient : IDisposable
{
    private readonly HubTransport transport;

    /// <summary>Creates a client whose settings come from the environment (HF_HOME, HF_HUB_CACHE, HF_ENDPOINT, HF_TOKEN, HF_HUB_OFFLINE).</summary>
    public HubClient() : this(new HubOptions())
    {
    }

    /// <summary>Creates a client with explicit settings (copied: later changes to <paramref name="options"/> do not affect it).</summary>
    /// <exception cref="ArgumentException">A setting is invalid (the message names it).</exception>
    public HubClient(HubOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        Options = options.Clone();
        transport = new HubTransport(Options);
    }

    /// <summary>The cache root this client reads and writes (the folder holding <c>models--org--name</c>).</summary>
    public string CacheDir => Options.CacheDir;

    /// <summary>The Hub address this client downloads from.</summary>
    public string Endpoint => Options.Endpoint;

    private HubOptions Options { get; }

    /// <summary>
    /// Returns a local folder holding the checkpoint: <paramref name="checkpoint"/> itself when it is an existing folder,
    /// otherwise the cache snapshot of the Hub repository it names, downloading what is missing.
    /// </summary>
    /// <param name="checkpoint">A local folder, <c>org/name</c> or <c>org/name@revision</c> (branch, tag or commit hash).</param>
    /// <param name="progress">Receives download progress per file; null for none.</param>
    /// <param name="cancellationToken">Stops the download; a partial file is kept and resumed next time.</param>
    /// <exception cref="HubException">The repository, a required file or access is missing (the message says how to fix it).</exception>
    /// <exception cref="ArgumentException"><paramref name="checkpoint"/> is neither a folder nor a repo id.</exception>
    public async Task<string> ResolveAsync(string checkpoint, IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(checkpoint);
        if (Directory.Exists(checkpoint)) return checkpoint;
        if (File.Exists(checkpoint))
            throw new ArgumentException($"'{checkpoint}' is a file: pass the checkpoint folder that holds config.json and the weights ('{Path.GetDirectoryName(Path.GetFullPath(checkpoint))}').", nameof(checkpoint));
        var repo = RepoReference.TryParse(checkpoint, Options.Revision, out var error)
            ?? throw new ArgumentException($"'{checkpoint}' is not an existing folder, and not a Hub id: {error}", nameof(checkpoint));
        var cache = new HubCache(Options.CacheDir, repo);
        if (Options.Offline) return await FetchAsync(new SnapshotSession(repo, cache, Options, null, progress), cancellationToken).ConfigureAwait(false);
        var session = new SnapshotSession(repo, cache, Options, transport, progress);
        try
        {
            return await FetchAsync(session, cancellationToken).ConfigureAwait(false);
        }
        catch (HubException e) when (session.Commit is null && e.StatusCode is null && e.InnerException is HttpRequestException or TimeoutException
                                     && cache.ReadRef(repo.Revision) is { } cached && Directory.Exists(cache.SnapshotDir(cached)))
        {
            // Hub unreachable before anything was fetched: use the cached snapshot, as huggingface_hub does.
            return await FetchAsync(new SnapshotSession(repo, cache, Options, null, progress), cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Synchronous <see cref="ResolveAsync"/>.</summary>
    /// <param name="checkpoint">A local folder, <c>org/name</c> or <c>org/name@revision</c>.</param>
    /// <param name="progress">Receives download progress per file; null for none.</param>
    /// <param name="cancellationToken">Stops the download; a partial file is kept and resumed next time.</param>
    /// <returns>The local folder holding the checkpoint.</returns>
    public string Resolve(string checkpoint, IProgress<HubDownloadProgress>? progress = null, CancellationToken cancellationToken = default) =>
        Task.Run(() => ResolveAsync(checkpoint, progress, cancellationToken), cancellationToken).GetAwaiter().GetResult();

    /// <summary>Releases the HTTP connections.</summary>
    public void Dispose() => transport.Dispose();

    private static async Task<string> FetchAsync(SnapshotSession session, CancellationToken ct)
    {
        await CheckpointFileSet.FetchAsync(session, ct).ConfigureAwait(false);
        return session.SnapshotDir;
    }
}
