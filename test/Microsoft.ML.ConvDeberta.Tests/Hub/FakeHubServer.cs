using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>
/// A minimal Hugging Face Hub on 127.0.0.1 (random free port): HEAD/GET <c>/{repo}/resolve/{revision}/{file}</c> with
/// X-Repo-Commit, ETag, X-Linked-*, 302 to a CDN, 307 for renamed repos, 401/404 with X-Error-Code, Range requests and
/// dropped connections. One connection per request; it records every request and stops itself on dispose.
/// </summary>
internal sealed class FakeHubServer : IAsyncDisposable
{
    private const int MaxConnections = 500;
    private readonly TcpListener listener = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource stop = new();
    private readonly Task loop;
    private readonly ConcurrentDictionary<string, FakeHubRepo> repos = new();
    private readonly ConcurrentDictionary<string, string> renamed = new();
    private readonly ConcurrentDictionary<string, int> drops = new();

    public FakeHubServer()
    {
        listener.Start();
        Port = ((IPEndPoint)listener.LocalEndpoint).Port;
        loop = Task.Run(AcceptLoopAsync);
    }

    public int Port { get; }

    /// <summary>The address to use as HubOptions.Endpoint.</summary>
    public string Endpoint => $"http://127.0.0.1:{Port}";

    /// <summary>Every request received, in order.</summary>
    public ConcurrentQueue<RecordedRequest> Requests { get; } = new();

    public FakeHubRepo Add(FakeHubRepo repo) => repos[repo.RepoId] = repo;

    /// <summary>Requests for <paramref name="oldId"/> answer 307 with a relative Location to <paramref name="newId"/>.</summary>
    public void Rename(string oldId, string newId) => renamed[oldId] = newId;

    public IEnumerable<RecordedRequest> For(string file) => Requests.Where(r => r.Path.EndsWith("/" + file, StringComparison.Ordinal));

    private async Task AcceptLoopAsync()
    {
        for (int i = 0; i < MaxConnections && !stop.IsCancellationRequested; i++)
        {
            TcpClient client;
            try { client = await listener.AcceptTcpClientAsync(stop.Token); }
            catch (Exception) { return; }
            _ = Task.Run(async () =>
            {
                using (client)
                {
                    try { await HandleAsync(client.GetStream()); }
                    catch (IOException) { } // the client went away
                }
            });
        }
    }

    private async Task HandleAsync(NetworkStream stream)
    {
        var request = await ReadRequestAsync(stream);
        if (request == null) return;
        Requests.Enqueue(request);
        var response = Route(request);
        await FakeHubResponse.WriteAsync(stream, request, response);
    }

    private FakeHubResponse Route(RecordedRequest request)
    {
        var path = Uri.UnescapeDataString(request.Path);
        if (path.StartsWith("/cdn/", StringComparison.Ordinal)) return Cdn(path["/cdn/".Length..]);
        var parts = request.Path.TrimStart('/').Split('/', 5);
        if (parts.Length < 5 || parts[2] != "resolve") return FakeHubResponse.Error(404, "RepoNotFound");
        var repoId = parts[0] + "/" + parts[1];
        var revision = Uri.UnescapeDataString(parts[3]);
        var file = Uri.UnescapeDataString(parts[4]);
        if (renamed.TryGetValue(repoId, out var newId))
            return new FakeHubResponse(307, [], [("Location", $"/{newId}/resolve/{parts[3]}/{parts[4]}")]);
        if (!repos.TryGetValue(repoId, out var repo)) return FakeHubResponse.Error(404, "RepoNotFound");
        if (repo.RequiredToken != null && request.Header("Authorization") != "Bearer " + repo.RequiredToken)
            return FakeHubResponse.Error(401, "GatedRepo");
        if (!repo.HasRevision(revision)) return FakeHubResponse.Error(404, "RevisionNotFound");
        var commit = ("X-Repo-Commit", repo.Commit);
        if (!repo.Files.TryGetValue(file, out var bytes)) return FakeHubResponse.Error(404, "EntryNotFound", commit);
        if (repo.CdnFiles.Contains(file))
            return new FakeHubResponse(302, [], [commit, ("Location", $"http://localhost:{Port}/cdn/{repo.RepoId}/{file}"),
                ("X-Linked-Etag", $"\"{repo.ETag(file)}\""), ("X-Linked-Size", bytes.Length.ToString()), ("ETag", "\"redirect-etag\"")]);
        int? drop = repo.DropOnceAfter.TryGetValue(file, out var n) && request.Method == "GET" && drops.TryAdd(repo.RepoId + file, 1) ? n : null;
        return new FakeHubResponse(200, bytes, [commit, ("ETag", $"W/\"{repo.ETag(file)}\"")]) { DropAfter = drop, IgnoreRange = repo.IgnoreRange };
    }

    private FakeHubResponse Cdn(string path)
    {
        var slash = path.IndexOf('/', path.IndexOf('/') + 1);
        if (slash < 0 || !repos.TryGetValue(path[..slash], out var repo) || !repo.Files.TryGetValue(path[(slash + 1)..], out var bytes))
            return FakeHubResponse.Error(404, null);
        int? drop = repo.DropOnceAfter.TryGetValue(path[(slash + 1)..], out var n) && drops.TryAdd(repo.RepoId + path, 1) ? n : null;
        return new FakeHubResponse(200, bytes, [("ETag", "\"cdn\"")]) { DropAfter = drop };
    }

    private static async Task<RecordedRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        var one = new byte[1];
        while (buffer.Count < 16_384)
        {
            if (await stream.ReadAsync(one) == 0) return null;
            buffer.Add(one[0]);
            if (buffer.Count >= 4 && buffer[^1] == '\n' && buffer[^2] == '\r' && buffer[^3] == '\n' && buffer[^4] == '\r') break;
        }
        var lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n", StringSplitOptions.RemoveEmptyEntries);
        var first = lines[0].Split(' ');
        var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Where(p => p.Length == 2)
            .ToDictionary(p => p[0].Trim(), p => p[1].Trim(), StringComparer.OrdinalIgnoreCase);
        return new RecordedRequest(first[0], first[1], headers);
    }

    public async ValueTask DisposeAsync()
    {
        if (stop.IsCancellationRequested) return;
        stop.Cancel();
        listener.Stop();
        await loop;
    }
}

/// <summary>One request as the server saw it.</summary>
internal sealed record RecordedRequest(string Method, string Path, Dictionary<string, string> Headers)
{
    public string? Header(string name) => Headers.TryGetValue(name, out var value) ? value : null;
}
