namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// A checkpoint could not be resolved from the Hugging Face Hub or its cache. The message names the repository,
/// the file and what to do (set HF_TOKEN, check the id, go online, ...).
/// </summary>
public sealed class HubException : IOException
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What failed and how to fix it.</param>
    /// <param name="repoId">The repository involved, if any.</param>
    /// <param name="fileName">The file involved, if any.</param>
    /// <param name="statusCode">The HTTP status the Hub answered, if any.</param>
    /// <param name="innerException">The underlying error, if any.</param>
    public HubException(string message, string? repoId = null, string? fileName = null, int? statusCode = null, Exception? innerException = null)
        : base(message, innerException)
    {
        RepoId = repoId;
        FileName = fileName;
        StatusCode = statusCode;
    }

    /// <summary>The repository involved (<c>org/name</c>), or null.</summary>
    public string? RepoId { get; }

    /// <summary>The file inside the repository, or null.</summary>
    public string? FileName { get; }

    /// <summary>The HTTP status code the server answered, or null when no response was involved.</summary>
    public int? StatusCode { get; }
}
