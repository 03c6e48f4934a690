namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// One repository's folder in the Hugging Face cache, laid out exactly as huggingface_hub writes it so Python and
/// .NET share it: <c>blobs/&lt;etag&gt;</c> (file contents), <c>refs/&lt;revision&gt;</c> (the commit a branch or tag
/// pointed to), <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c> (relative symlinks to blobs) and
/// <c>.no_exist/&lt;commit&gt;/&lt;file&gt;</c> (empty markers for files the repository does not have).
/// </summary>
internal sealed class HubCache(string cacheDir, RepoReference repo)
{
    /// <summary>The cache root (holding every <c>models--*</c> folder).</summary>
    public string CacheDir { get; } = Path.GetFullPath(cacheDir);

    /// <summary><c>{cache}/models--org--name</c>.</summary>
    public string RepoDir => Path.Combine(CacheDir, repo.CacheFolderName);

    /// <summary>Where a blob with this etag lives.</summary>
    public string BlobPath(string etag) => Path.Combine(RepoDir, "blobs", etag);

    /// <summary>The lock file guarding a blob's download (shared with huggingface_hub's <c>.locks</c> folder).</summary>
    public string LockPath(string etag) => Path.Combine(CacheDir, ".locks", repo.CacheFolderName, etag + ".lock");

    /// <summary><c>snapshots/&lt;commit&gt;</c>.</summary>
    public string SnapshotDir(string commit) => Path.Combine(RepoDir, "snapshots", commit);

    /// <summary>A file's path inside a snapshot.</summary>
    public string SnapshotFile(string commit, string file) => Path.Combine(SnapshotDir(commit), file);

    /// <summary>The commit a branch or tag pointed to when last fetched, or null when never fetched.</summary>
    public string? ReadRef(string revision)
    {
        var path = RefPath(revision);
        return File.Exists(path) ? File.ReadAllText(path).Trim() is { Length: > 0 } commit ? commit : null : null;
    }

    /// <summary>Records that <paramref name="revision"/> points to <paramref name="commit"/> (nothing for a commit hash).</summary>
    public void WriteRef(string revision, string commit)
    {
        if (revision == commit || ReadRef(revision) == commit) return;
        var path = RefPath(revision);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        var temp = path + "." + Guid.NewGuid().ToString("N") + ".tmp";
        File.WriteAllText(temp, commit);
        File.Move(temp, path, overwrite: true);
    }

    /// <summary>True when a snapshot file exists (a symlink whose blob is missing does not count).</summary>
    public bool HasFile(string commit, string file) => File.Exists(SnapshotFile(commit, file));

    /// <summary>True when an earlier request learned that the repository has no such file at this commit.</summary>
    public bool IsKnownMissing(string commit, string file) => File.Exists(Path.Combine(RepoDir, ".no_exist", commit, file));

    /// <summary>Remembers that the repository has no such file at this commit, so later runs skip the request.</summary>
    public void MarkMissing(string commit, string file)
    {
        var path = Path.Combine(RepoDir, ".no_exist", commit, file);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using (File.Create(path)) { }
    }

    /// <summary>
    /// Makes <c>snapshots/&lt;commit&gt;/&lt;file&gt;</c> point at the blob: a relative symlink like huggingface_hub
    /// (<c>../../blobs/&lt;etag&gt;</c>), or a copy where the file system refuses symlinks.
    /// </summary>
    public string Link(string commit, string file, string blobPath)
    {
        var target = SnapshotFile(commit, file);
        Directory.CreateDirectory(Path.GetDirectoryName(target)!);
        var relative = Path.GetRelativePath(Path.GetDirectoryName(target)!, blobPath);
        var existing = new FileInfo(target);
        if (existing.LinkTarget == relative && File.Exists(target)) return target;
        if (existing.Exists || existing.LinkTarget != null) File.Delete(target);
        try
        {
            File.CreateSymbolicLink(target, relative);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or PlatformNotSupportedException)
        {
            File.Copy(blobPath, target, overwrite: true); // e.g. Windows without developer mode, some network drives
        }
        return target;
    }

    private string RefPath(string revision) => Path.Combine(RepoDir, "refs", revision);
}
