namespace NetPerf.Testbeds.Engine;

/// <summary>A parsed engine address: a unix socket path or a plain-HTTP base address.</summary>
/// <param name="Endpoint">The address as given, normalised (e.g. <c>unix:///var/run/docker.sock</c>).</param>
/// <param name="SocketPath">The unix socket path, or <see langword="null"/> for TCP.</param>
/// <param name="BaseAddress">The HTTP base address requests are made against.</param>
internal sealed record DockerEndpoint(string Endpoint, string? SocketPath, Uri BaseAddress)
{
    /// <summary>The Docker default port for plain (non-TLS) TCP.</summary>
    private const int DefaultTcpPort = 2375;

    /// <summary>Parses <c>unix:///path</c>, <c>/path</c>, <c>tcp://host:port</c> or <c>http://host:port</c>.</summary>
    /// <exception cref="ArgumentException">The address has another form, e.g. <c>npipe://</c>, <c>ssh://</c> or TLS.</exception>
    public static DockerEndpoint Parse(string endpoint)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        string trimmed = endpoint.Trim();
        if (trimmed.Length == 0)
        {
            return Parse(DockerEngine.DefaultEndpoint);
        }

        if (trimmed.StartsWith('/'))
        {
            trimmed = "unix://" + trimmed;
        }

        if (trimmed.StartsWith("unix://", StringComparison.OrdinalIgnoreCase))
        {
            string path = trimmed["unix://".Length..];
            if (!path.StartsWith('/'))
            {
                throw new ArgumentException(
                    $"Engine endpoint '{endpoint}' has no absolute socket path; write it as 'unix:///var/run/docker.sock'.", nameof(endpoint));
            }

            // The host name only fills the Host header; the engine ignores it on a unix socket.
            return new DockerEndpoint("unix://" + path, path, new Uri("http://docker.sock/"));
        }

        if (trimmed.StartsWith("tcp://", StringComparison.OrdinalIgnoreCase)
            || trimmed.StartsWith("http://", StringComparison.OrdinalIgnoreCase))
        {
            string rest = trimmed[(trimmed.IndexOf("://", StringComparison.Ordinal) + 3)..].TrimEnd('/');
            // Parsed under the unknown scheme 'tcp' so that a missing port reads as -1, not as HTTP's 80.
            if (!Uri.TryCreate("tcp://" + rest, UriKind.Absolute, out Uri? uri) || uri.Host.Length == 0
                || uri.AbsolutePath != "/" || uri.Query.Length != 0 || uri.UserInfo.Length != 0)
            {
                throw new ArgumentException(
                    $"Engine endpoint '{endpoint}' is not 'tcp://host:port'; write it e.g. as 'tcp://127.0.0.1:2375', or use 'unix:///var/run/docker.sock'.", nameof(endpoint));
            }

            int port = uri.Port < 0 ? DefaultTcpPort : uri.Port;
            var baseAddress = new UriBuilder("http", uri.Host, port).Uri;
            return new DockerEndpoint($"tcp://{uri.Host}:{port}", null, baseAddress);
        }

        throw new ArgumentException(
            $"Engine endpoint '{endpoint}' is not supported: NetPerf speaks to 'unix:///path/to/docker.sock' or plain 'tcp://host:port' "
            + "(no TLS, ssh or npipe). Set DOCKER_HOST to one of those, or unset it to use 'unix:///var/run/docker.sock'.",
            nameof(endpoint));
    }
}
