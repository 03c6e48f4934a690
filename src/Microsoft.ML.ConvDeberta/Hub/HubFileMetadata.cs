namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// What a HEAD request on <c>/resolve/</c> says about a file, as huggingface_hub reads it.
/// </summary>
/// <param name="Commit">The commit the revision resolved to (<c>X-Repo-Commit</c>).</param>
/// <param name="ETag">Content id, quotes and <c>W/</c> removed (<c>X-Linked-Etag</c> for LFS files, else <c>ETag</c>); names the blob.</param>
/// <param name="Size">Size in bytes (<c>X-Linked-Size</c>, else <c>Content-Length</c>), or null.</param>
/// <param name="Location">Where to GET the bytes: the redirect target (e.g. a CDN) or the resolve URL itself.</param>
internal sealed record HubFileMetadata(string Commit, string ETag, long? Size, Uri Location)
{
    /// <summary>Strips the weak marker and quotes: <c>W/"abc"</c> → <c>abc</c>.</summary>
    public static string NormalizeETag(string raw)
    {
        var tag = raw.Trim();
        if (tag.StartsWith("W/", StringComparison.Ordinal)) tag = tag[2..];
        return tag.Trim('"');
    }
}
