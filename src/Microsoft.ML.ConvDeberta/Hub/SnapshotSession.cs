namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// Fetches files of one repository revision into one cache snapshot. The first answer pins the commit; every
/// later file is asked for at that commit, so the snapshot never mixes commits, and files the cache already knows
/// (present, or recorded in <c>.no_exist</c>) cost no request.
/// </summary>
internal sealed class SnapshotSession
{
    private readonly RepoReference repo;
    private readonly HubCache cache;
    private readonly HubTransport? transport;
    private readonly BlobDownloader? downloader;
    private readonly HubOptions options;

    /// <summary>Starts a session; <paramref name="transport"/> is null offline.</summary>
    public SnapshotSession(RepoReference repo, HubCache cache, HubOptions options, HubTransport? transport, IProgress<HubDownloadProgress>? progress)
    {
        this.repo = repo;
        this.cache = cache;
        this.options = options;
        this.transport = transport;
        downloader = transport is null ? null : new BlobDownloader(transport, options, progress);
        if (repo.RevisionIsCommit) Commit = repo.Revision; // immutable: the cache can answer without asking
        else if (transport is null) Commit = cache.ReadRef(repo.Revision) ?? throw HubErrors.OfflineMissing(repo, null, cache);
        if (transport is null && !Directory.Exists(cache.SnapshotDir(Commit!))) throw HubErrors.OfflineMissing(repo, null, cache);
    }

    /// <summary>The commit being fetched, once known.</summary>
    public string? Commit { get; private set; }

    /// <summary>The repository and revision.</summary>
    public RepoReference Repo => repo;

    /// <summary>The snapshot folder (valid once <see cref="Commit"/> is known).</summary>
    public string SnapshotDir => cache.SnapshotDir(Commit ?? throw new InvalidOperationException("No file has been fetched yet."));

    /// <summary>The file's path in the snapshot, or null when the repository has no such file (or, offline, the cache lacks it).</summary>
    public async Task<string?> TryGetAsync(string file, CancellationToken ct)
    {
        ct.ThrowIfCancellationRequested();
        if (Commit != null && cache.HasFile(Commit, file)) return cache.SnapshotFile(Commit, file);
        if (Commit != null && cache.IsKnownMissing(Commit, file)) return null;
        if (transport is null) return null;
        var (metadata, commitOfMissing) = await HeadAsync(file, ct).ConfigureAwait(false);
        if (metadata is null)
        {
            if ((Commit ?? commitOfMissing) is { } known)
            {
                PinCommit(known);
                cache.MarkMissing(known, file);
            }
            return null;
        }
        PinCommit(metadata.Commit);
        var blob = cache.BlobPath(metadata.ETag);
        if (!File.Exists(blob)) await downloader!.DownloadAsync(repo, file, metadata, blob, cache.LockPath(metadata.ETag), ct).ConfigureAwait(false);
        return cache.Link(Commit!, file, blob);
    }

    /// <summary>Like <see cref="TryGetAsync"/>, but a missing file is an error naming the repository and the file.</summary>
    public async Task<string> GetAsync(string file, CancellationToken ct) =>
        await TryGetAsync(file, ct).ConfigureAwait(false)
            ?? throw (transport is null ? HubErrors.OfflineMissing(repo, file, cache) : HubErrors.RequiredMissing(repo, file, Commit ?? repo.Revision));

    private async Task<(HubFileMetadata?, string?)> HeadAsync(string file, CancellationToken ct)
    {
        try
        {
            return await transport!.HeadAsync(repo, Commit ?? repo.Revision, file, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is HttpRequestException or TimeoutException && !ct.IsCancellationRequested)
        {
            throw HubErrors.Unreachable(repo, file, options, e);
        }
    }

    private void PinCommit(string commit)
    {
        if (Commit == null)
        {
            Commit = commit;
            cache.WriteRef(repo.Revision, commit);
        }
        else if (Commit != commit)
        {
            throw new HubException($"'{repo.RepoId}' answered commit {commit} while fetching commit {Commit}: the Hub (or a proxy) is inconsistent; run again.", repo.RepoId);
        }
    }
}
