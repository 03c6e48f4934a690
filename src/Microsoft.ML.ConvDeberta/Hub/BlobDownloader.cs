using System.Net;

namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// Downloads one blob: into <c>&lt;blob&gt;.incomplete</c>, resuming with a Range request after an interruption
/// (also across runs), and renamed to the blob only once complete and of the announced size.
/// </summary>
internal sealed class BlobDownloader(HubTransport transport, HubOptions options, IProgress<HubDownloadProgress>? progress)
{
    private const int BufferSize = 1 << 16;
    private const long ReportEvery = 1 << 18;

    /// <summary>Makes sure <paramref name="blobPath"/> holds the file behind <paramref name="metadata"/>.</summary>
    public async Task DownloadAsync(RepoReference repo, string file, HubFileMetadata metadata, string blobPath, string lockPath, CancellationToken ct)
    {
        using var held = await FileLock.AcquireAsync(lockPath, ct).ConfigureAwait(false);
        if (File.Exists(blobPath)) return; // another process finished it while we waited
        Directory.CreateDirectory(Path.GetDirectoryName(blobPath)!);
        var partial = blobPath + ".incomplete";
        for (int failures = 0; ;)
        {
            long before = Length(partial);
            Exception? error = null;
            try
            {
                if (await TryOnceAsync(repo, file, metadata, partial, ct).ConfigureAwait(false)) break;
            }
            catch (Exception e) when (IsTransient(e, ct))
            {
                error = e; // the partial file stays; the next attempt resumes it
            }
            failures = Length(partial) > before ? 1 : failures + 1; // progress resets the budget, as in huggingface_hub
            if (failures > options.MaxRetries) throw Interrupted(repo, file, metadata, partial, error);
            await Task.Delay(options.RetryDelay * Math.Pow(2, failures - 1), ct).ConfigureAwait(false);
        }
        File.Move(partial, blobPath, overwrite: true);
    }

    /// <summary>One GET; true when the partial file is complete afterwards.</summary>
    private async Task<bool> TryOnceAsync(RepoReference repo, string file, HubFileMetadata metadata, string partial, CancellationToken ct)
    {
        long offset = Length(partial);
        if (metadata.Size is { } expected && offset >= expected)
        {
            if (offset == expected) return true; // finished by an earlier run that stopped before the rename
            File.Delete(partial);
            offset = 0;
        }
        using var response = await transport.GetAsync(metadata.Location, offset, repo, file, ct).ConfigureAwait(false);
        if (response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable)
        {
            File.Delete(partial); // the partial file does not fit this blob: start over
            return false;
        }
        bool resumed = response.StatusCode == HttpStatusCode.PartialContent && response.Content.Headers.ContentRange?.From == offset;
        if (!resumed) offset = 0; // the server sent the whole file
        long? total = metadata.Size ?? (response.Content.Headers.ContentLength is { } length ? offset + length : null);
        await using (var output = new FileStream(partial, resumed ? FileMode.Append : FileMode.Create, FileAccess.Write, FileShare.None, BufferSize, useAsync: true))
        await using (var input = await response.Content.ReadAsStreamAsync(ct).ConfigureAwait(false))
        {
            progress?.Report(new HubDownloadProgress(repo.RepoId, file, offset, total));
            await CopyAsync(input, output, repo, file, offset, total, ct).ConfigureAwait(false);
        }
        long written = Length(partial);
        if (total is { } size && written != size) return written < size ? false : throw Oversized(repo, file, written, size, partial);
        return true;
    }

    private async Task CopyAsync(Stream input, FileStream output, RepoReference repo, string file, long done, long? total, CancellationToken ct)
    {
        var buffer = new byte[BufferSize];
        long lastReport = done;
        while (true)
        {
            using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
            deadline.CancelAfter(transport.ReadTimeout); // a stalled connection counts as interrupted
            int read;
            try
            {
                read = await input.ReadAsync(buffer, deadline.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
            {
                throw new TimeoutException($"No data for {transport.ReadTimeout.TotalSeconds:0.#} s while downloading '{file}'.", e);
            }
            if (read == 0) break;
            await output.WriteAsync(buffer.AsMemory(0, read), ct).ConfigureAwait(false);
            done += read;
            if (done - lastReport >= ReportEvery || done == total)
            {
                progress?.Report(new HubDownloadProgress(repo.RepoId, file, done, total));
                lastReport = done;
            }
        }
    }

    private static bool IsTransient(Exception e, CancellationToken ct) =>
        !ct.IsCancellationRequested && e is IOException or HttpRequestException or TimeoutException && e is not HubException;

    private static HubException Interrupted(RepoReference repo, string file, HubFileMetadata metadata, string partial, Exception? error) =>
        new($"Downloading '{file}' of '{repo.RepoId}' stopped at {Length(partial)} of {metadata.Size?.ToString() ?? "?"} bytes" +
            (error is null ? " (the connection ended early)" : $": {error.Message}") + $". Run again to resume from the partial file {partial}.",
            repo.RepoId, file, innerException: error);

    private static HubException Oversized(RepoReference repo, string file, long written, long size, string partial)
    {
        File.Delete(partial);
        return new HubException($"Downloading '{file}' of '{repo.RepoId}' produced {written} bytes but the Hub announced {size}: the partial file was removed, run again.", repo.RepoId, file);
    }

    private static long Length(string path) => File.Exists(path) ? new FileInfo(path).Length : 0;
}
