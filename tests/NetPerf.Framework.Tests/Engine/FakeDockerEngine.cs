using System.Collections.Concurrent;
using System.Net.Sockets;
using System.Text;

namespace NetPerf.Tests.Engine;

/// <summary>A request the fake engine received.</summary>
internal sealed record FakeRequest(string Method, string Target, string Body);

/// <summary>
/// A canned answer: status, extra headers, body; <see cref="Hang"/> never answers; <see cref="NoLength"/> ends the body by
/// closing, as the engine's raw streams do; <see cref="Drop"/> closes the connection without an answer, as an engine that
/// stops or crashes under a request does.
/// </summary>
internal sealed record FakeResponse(int Status, byte[] Body, IReadOnlyDictionary<string, string>? Headers = null, bool NoLength = false, bool Hang = false, bool Drop = false)
{
    public static FakeResponse Json(int status, string json, IReadOnlyDictionary<string, string>? headers = null) =>
        new(status, Encoding.UTF8.GetBytes(json), headers);
}

/// <summary>
/// A tiny HTTP/1.1 server on a unix socket in a temp directory that answers with canned responses,
/// one request per connection; enough to test the client without a real engine.
/// </summary>
internal sealed class FakeDockerEngine : IAsyncDisposable
{
    private readonly Func<FakeRequest, FakeResponse> _handler;
    private readonly Socket _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _acceptLoop;
    private readonly string _directory;

    public FakeDockerEngine(Func<FakeRequest, FakeResponse> handler)
    {
        _handler = handler;
        _directory = Directory.CreateTempSubdirectory("netperf-fake-engine-").FullName;
        SocketPath = Path.Combine(_directory, "docker.sock");
        _listener = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        _listener.Bind(new UnixDomainSocketEndPoint(SocketPath));
        _listener.Listen(64);
        _acceptLoop = AcceptLoopAsync();
    }

    public string SocketPath { get; }

    public string Endpoint => "unix://" + SocketPath;

    public ConcurrentQueue<FakeRequest> Requests { get; } = new();

    /// <summary>A handler answering <c>/_ping</c> with an API version and everything else through <paramref name="rest"/>.</summary>
    public static Func<FakeRequest, FakeResponse> WithPing(string apiVersion, Func<FakeRequest, FakeResponse> rest) => request =>
        request.Target == "/_ping"
            ? new FakeResponse(200, "OK"u8.ToArray(), new Dictionary<string, string> { ["Api-Version"] = apiVersion })
            : rest(request);

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Dispose();
        try
        {
            await _acceptLoop;
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
        catch (ObjectDisposedException)
        {
        }

        _stop.Dispose();
        Directory.Delete(_directory, recursive: true);
    }

    private async Task AcceptLoopAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client = await _listener.AcceptAsync(_stop.Token);
            _ = ServeAsync(client);
        }
    }

    private async Task ServeAsync(Socket client)
    {
        using (client)
        {
            try
            {
                await using var stream = new NetworkStream(client, ownsSocket: false);
                FakeRequest? request = await ReadRequestAsync(stream);
                if (request is null)
                {
                    return;
                }

                Requests.Enqueue(request);
                FakeResponse response = _handler(request);
                if (response.Drop)
                {
                    return;
                }

                if (response.Hang)
                {
                    await Task.Delay(Timeout.Infinite, _stop.Token);
                }

                var head = new StringBuilder();
                head.Append("HTTP/1.1 ").Append(response.Status).Append(" Canned\r\nConnection: close\r\n");
                foreach ((string key, string value) in response.Headers ?? new Dictionary<string, string>())
                {
                    head.Append(key).Append(": ").Append(value).Append("\r\n");
                }

                if (!response.NoLength)
                {
                    head.Append("Content-Length: ").Append(response.Body.Length).Append("\r\n");
                }

                head.Append("\r\n");
                await stream.WriteAsync(Encoding.ASCII.GetBytes(head.ToString()), _stop.Token);
                await stream.WriteAsync(response.Body, _stop.Token);
                client.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // The client went away or the fake is shutting down.
            }
        }
    }

    private async Task<FakeRequest?> ReadRequestAsync(NetworkStream stream)
    {
        var buffer = new List<byte>();
        byte[] one = new byte[1];
        while (!EndsWithBlankLine(buffer))
        {
            if (await stream.ReadAsync(one, _stop.Token) == 0)
            {
                return null;
            }

            buffer.Add(one[0]);
        }

        string[] lines = Encoding.ASCII.GetString(buffer.ToArray()).Split("\r\n");
        string[] requestLine = lines[0].Split(' ');
        int length = 0;
        foreach (string line in lines.Skip(1))
        {
            if (line.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase))
            {
                length = int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        byte[] body = new byte[length];
        await stream.ReadExactlyAsync(body, _stop.Token);
        return new FakeRequest(requestLine[0], requestLine[1], Encoding.UTF8.GetString(body));
    }

    private static bool EndsWithBlankLine(List<byte> b) =>
        b.Count >= 4 && b[^4] == '\r' && b[^3] == '\n' && b[^2] == '\r' && b[^1] == '\n';
}
