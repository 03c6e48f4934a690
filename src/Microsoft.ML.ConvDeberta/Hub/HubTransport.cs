using System.Net;
using System.Net.Http.Headers;

namespace Microsoft.ML.ConvDeberta.Hub;

/// <summary>
/// HTTP to the Hub with huggingface_hub's semantics: HEAD on <c>/resolve/</c> follows only relative redirects (an
/// absolute one, e.g. to the CDN, carries the metadata and becomes the download address); GET follows every
/// redirect. The token goes only to the endpoint's own host, so a redirect never leaks it.
/// </summary>
internal sealed class HubTransport : IDisposable
{
    private const int MaxRedirects = 10;
    private static readonly string UserAgent = $"Microsoft.ML.ConvDeberta/{typeof(HubTransport).Assembly.GetName().Version} dotnet/{Environment.Version}";
    private readonly HttpClient client;
    private readonly HubOptions options;
    private readonly Uri endpoint;

    public HubTransport(HubOptions options)
    {
        this.options = options;
        endpoint = new Uri(options.Endpoint.TrimEnd('/') + "/");
        var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            AutomaticDecompression = DecompressionMethods.None,
            UseCookies = false,
            PooledConnectionLifetime = TimeSpan.FromMinutes(5),
            MaxResponseDrainSize = 0, // an abandoned download closes its connection instead of reading the rest of a large file
        };
        client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
    }

    /// <summary><c>{endpoint}/{repo}/resolve/{revision}/{file}</c>, revision and path segments URL-encoded.</summary>
    public Uri ResolveUrl(string repoId, string revision, string file) =>
        new(endpoint, $"{repoId}/resolve/{Uri.EscapeDataString(revision)}/{string.Join('/', file.Split('/').Select(Uri.EscapeDataString))}");

    /// <summary>HEAD on a file: its metadata, or null with the commit (when the Hub says it) if the repository lacks it.</summary>
    public async Task<(HubFileMetadata? Metadata, string? CommitOfMissing)> HeadAsync(RepoReference repo, string revision, string file, CancellationToken ct)
    {
        var url = ResolveUrl(repo.RepoId, revision, file);
        for (int hop = 0; ; hop++)
        {
            using var response = await SendAsync(HttpMethod.Head, url, 0, ct).ConfigureAwait(false);
            var location = IsRedirect(response) ? response.Headers.Location : null;
            if (location is { IsAbsoluteUri: false } && hop < MaxRedirects)
            {
                url = new Uri(url, location); // e.g. a renamed repository: same host, keep going
                continue;
            }
            if (HubErrors.IsMissingFile(response)) return (null, Header(response, "X-Repo-Commit"));
            if (!response.IsSuccessStatusCode && location is null) throw HubErrors.ForResponse(response, repo, file, options);
            var commit = Header(response, "X-Repo-Commit")
                ?? throw new HubException($"{url} answered without an X-Repo-Commit header: {options.Endpoint} does not look like a Hugging Face Hub (check HF_ENDPOINT or a proxy in between).", repo.RepoId, file);
            var etag = (Header(response, "X-Linked-Etag") ?? Header(response, "ETag"))
                ?? throw new HubException($"{url} answered without an ETag: the file cannot be cached safely (check HF_ENDPOINT or a proxy in between).", repo.RepoId, file);
            long? size = long.TryParse(Header(response, "X-Linked-Size"), out var linked) ? linked : response.Content.Headers.ContentLength;
            return (new HubFileMetadata(SafeName(commit, "X-Repo-Commit", repo, file), SafeName(HubFileMetadata.NormalizeETag(etag), "ETag", repo, file),
                size, location is null ? url : new Uri(url, location)), null);
        }
    }

    /// <summary>GET from <paramref name="offset"/> on (a Range request when above zero), following every redirect.</summary>
    public async Task<HttpResponseMessage> GetAsync(Uri url, long offset, RepoReference repo, string file, CancellationToken ct)
    {
        for (int hop = 0; ; hop++)
        {
            var response = await SendAsync(HttpMethod.Get, url, offset, ct).ConfigureAwait(false);
            if (IsRedirect(response) && response.Headers.Location is { } location && hop < MaxRedirects)
            {
                response.Dispose();
                url = new Uri(url, location);
                continue;
            }
            if (response.IsSuccessStatusCode || response.StatusCode == HttpStatusCode.RequestedRangeNotSatisfiable) return response;
            using (response) throw HubErrors.ForResponse(response, repo, file, options);
        }
    }

    /// <summary>Per-chunk read deadline for downloads (<see cref="HubOptions.Timeout"/>).</summary>
    public TimeSpan ReadTimeout => options.Timeout;

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, Uri url, long offset, CancellationToken ct)
    {
        using var request = new HttpRequestMessage(method, url);
        request.Headers.UserAgent.ParseAdd(UserAgent);
        request.Headers.AcceptEncoding.ParseAdd("identity"); // sizes must be the real file sizes
        if (offset > 0) request.Headers.Range = new RangeHeaderValue(offset, null);
        if (options.Token is { Length: > 0 } token && SameOrigin(url, endpoint))
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(ct);
        deadline.CancelAfter(options.Timeout);
        try
        {
            return await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, deadline.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"{method} {url} got no answer within {options.Timeout.TotalSeconds:0.#} s (HubOptions.Timeout).", e);
        }
    }

    /// <summary>Commit and etag become cache folder and file names: refuse anything that could leave the cache.</summary>
    private static string SafeName(string value, string header, RepoReference repo, string file) =>
        value.Length > 0 && value.Length <= 255 && value.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.') && value.Trim('.').Length > 0
            ? value
            : throw new HubException($"The Hub sent {header} '{value}' for '{file}' of '{repo.RepoId}', which cannot name a cache entry: check HF_ENDPOINT.", repo.RepoId, file);

    private static bool IsRedirect(HttpResponseMessage response) => (int)response.StatusCode is >= 300 and < 400;

    private static bool SameOrigin(Uri a, Uri b) =>
        a.Scheme == b.Scheme && string.Equals(a.Host, b.Host, StringComparison.OrdinalIgnoreCase) && a.Port == b.Port;

    private static string? Header(HttpResponseMessage response, string name) =>
        response.Headers.TryGetValues(name, out var values) || response.Content.Headers.TryGetValues(name, out values)
            ? values.FirstOrDefault() is { Length: > 0 } value ? value : null
            : null;

    public void Dispose() => client.Dispose();
}
