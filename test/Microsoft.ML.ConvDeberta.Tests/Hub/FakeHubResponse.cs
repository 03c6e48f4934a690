using System.Net.Sockets;
using System.Text;

namespace Microsoft.ML.ConvDeberta.Tests.Hub;

/// <summary>A response of <see cref="FakeHubServer"/>; writes itself with Range support and an optional mid-body drop.</summary>
internal sealed record FakeHubResponse(int Status, byte[] Body, (string Name, string Value)[] Headers)
{
    /// <summary>When set, only this many body bytes are sent before the connection is cut.</summary>
    public int? DropAfter { get; init; }

    /// <summary>When true, a Range header is ignored.</summary>
    public bool IgnoreRange { get; init; }

    public static FakeHubResponse Error(int status, string? code, params (string, string)[] extra) =>
        new(status, Encoding.UTF8.GetBytes($"{{\"error\":\"{code}\"}}"), code is null ? extra : [.. extra, ("X-Error-Code", code)]);

    public static async Task WriteAsync(NetworkStream stream, RecordedRequest request, FakeHubResponse response)
    {
        int status = response.Status;
        var body = response.Body;
        var headers = response.Headers.ToList();
        if (status == 200 && !response.IgnoreRange && request.Header("Range") is { } range && range.StartsWith("bytes=", StringComparison.Ordinal))
        {
            int from = int.Parse(range["bytes=".Length..].TrimEnd('-'));
            if (from >= body.Length) Return416(headers, body.Length, out status, out body);
            else
            {
                headers.Add(("Content-Range", $"bytes {from}-{body.Length - 1}/{body.Length}"));
                body = body[from..];
                status = 206;
            }
        }
        var head = new StringBuilder($"HTTP/1.1 {status} {Reason(status)}\r\n");
        foreach (var (name, value) in headers) head.Append(name).Append(": ").Append(value).Append("\r\n");
        head.Append("Content-Length: ").Append(body.Length).Append("\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()));
        if (request.Method == "HEAD") return;
        int count = response.DropAfter is { } drop && status is 200 or 206 ? Math.Min(drop, body.Length) : body.Length;
        await stream.WriteAsync(body.AsMemory(0, count));
        await stream.FlushAsync();
        if (count < body.Length) stream.Socket.LingerState = new System.Net.Sockets.LingerOption(true, 0); // reset, not a clean close
    }

    private static void Return416(List<(string, string)> headers, int length, out int status, out byte[] body)
    {
        headers.Add(("Content-Range", $"bytes */{length}"));
        status = 416;
        body = [];
    }

    private static string Reason(int status) => status switch
    {
        200 => "OK", 206 => "Partial Content", 302 => "Found", 307 => "Temporary Redirect", 401 => "Unauthorized",
        404 => "Not Found", 416 => "Range Not Satisfiable", _ => "Status",
    };
}
