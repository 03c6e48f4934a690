namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>Progress of one file download, reported through <see cref="IProgress{T}"/> by <see cref="HubClient"/>.</summary>
/// <param name="RepoId">The repository, e.g. <c>microsoft/deberta-v3-base</c>.</param>
/// <param name="FileName">The file inside the repository, e.g. <c>model.safetensors</c>.</param>
/// <param name="BytesDownloaded">Bytes of the file on disk so far (a resumed download starts above zero).</param>
/// <param name="TotalBytes">The file's size, or null when the server did not say.</param>
public sealed record HubDownloadProgress(string RepoId, string FileName, long BytesDownloaded, long? TotalBytes)
{
    /// <summary>Fraction done in [0, 1], or null when the size is unknown.</summary>
    public double? Fraction => TotalBytes is > 0 ? (double)BytesDownloaded / TotalBytes.Value : null;

    /// <summary>True for the last report of a file (all of it is on disk).</summary>
    public bool IsComplete => TotalBytes is { } total && BytesDownloaded >= total;
}
