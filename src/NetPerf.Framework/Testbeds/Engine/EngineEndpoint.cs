using Docker.DotNet;
using DotNet.Testcontainers.Configurations;
using NetPerf.Logging;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// Where a Docker engine is reached and how: a <c>unix://</c> socket, a plain <c>tcp://host:port</c>, or
/// <c>tcp://host:port</c> with mutual TLS (<see cref="Tls"/>), as the docker CLI reads <c>DOCKER_HOST</c>,
/// <c>DOCKER_TLS_VERIFY</c> and <c>DOCKER_CERT_PATH</c>.
/// </summary>
/// <remarks>
/// <see cref="FromEnvironment(string, string, string, Func{string, string?}?)"/> reads one such set of variables: the main
/// engine's (<see cref="Main"/>) or the second node's (<c>NETPERF_SECOND_NODE</c> and its siblings). Every client of the
/// engine (Testcontainers', Docker.DotNet's) is built from it, so all of them use the same certificates.
/// </remarks>
internal sealed record EngineEndpoint
{
    /// <summary>The docker CLI's variable that turns TLS on and makes it verify the engine's certificate.</summary>
    public const string TlsVerifyVariable = "DOCKER_TLS_VERIFY";

    /// <summary>The docker CLI's variable naming the folder with ca.pem, cert.pem and key.pem.</summary>
    public const string CertPathVariable = "DOCKER_CERT_PATH";

    /// <summary>An endpoint; <paramref name="address"/> takes the forms of <see cref="TestcontainersEngine.ResolveEndpoint"/>.</summary>
    /// <exception cref="ArgumentException">The address has a form NetPerf cannot use, or TLS was given for a unix socket.</exception>
    public EngineEndpoint(string? address, EngineTls? tls = null)
    {
        Address = TestcontainersEngine.ResolveEndpoint(address, tls is not null);
        if (tls is not null && !Address.StartsWith("tcp://", StringComparison.Ordinal))
            throw new ArgumentException($"TLS settings ({tls.Source}) apply to tcp:// endpoints, and '{Address}' is a local socket; unset them, or name the engine as tcp://host:2376.", nameof(tls));
        Tls = tls;
    }

    /// <summary>The endpoint, e.g. <c>unix:///var/run/docker.sock</c> or <c>tcp://10.0.0.2:2376</c>.</summary>
    public string Address { get; }

    /// <summary>Mutual TLS settings, or <see langword="null"/> for a socket or plain tcp.</summary>
    public EngineTls? Tls { get; }

    /// <summary>The endpoint as a URI.</summary>
    public Uri Uri => new(Address);

    /// <summary>The main engine's endpoint: <c>DOCKER_HOST</c>, <c>DOCKER_TLS_VERIFY</c>, <c>DOCKER_CERT_PATH</c>.</summary>
    /// <exception cref="ArgumentException">A value NetPerf cannot use, or missing certificate files (named, with the folder searched).</exception>
    public static EngineEndpoint Main(Func<string, string?>? environment = null) =>
        FromEnvironment(TestcontainersEngine.DockerHostVariable, TlsVerifyVariable, CertPathVariable, environment);

    /// <summary>
    /// The endpoint named by <paramref name="hostVariable"/>, with TLS when <paramref name="tlsVerifyVariable"/> is <c>1</c> or
    /// <c>true</c>, using the certificates in <paramref name="certPathVariable"/>'s folder (<c>~/.docker</c> when unset, as Docker does).
    /// </summary>
    /// <exception cref="ArgumentException">A value NetPerf cannot use, or missing certificate files.</exception>
    public static EngineEndpoint FromEnvironment(string hostVariable, string tlsVerifyVariable, string certPathVariable, Func<string, string?>? environment = null)
    {
        environment ??= Environment.GetEnvironmentVariable;
        var host = environment(hostVariable);
        if (!ParseSwitch(environment(tlsVerifyVariable), tlsVerifyVariable)) return new EngineEndpoint(host);
        if (string.IsNullOrWhiteSpace(host))
            throw new ArgumentException($"{tlsVerifyVariable} is set but {hostVariable} is not: name the engine as {hostVariable}=tcp://host:2376, or unset {tlsVerifyVariable} for the local socket.");
        var certPath = environment(certPathVariable);
        string source = certPathVariable;
        if (string.IsNullOrWhiteSpace(certPath))
        {
            certPath = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
            source = $"{certPathVariable} unset, Docker's default";
        }
        return new EngineEndpoint(host, EngineTls.FromFolder(certPath.Trim(), source));
    }

    /// <summary>The endpoint an engine object talks to, with its TLS settings (looking through NetPerf's logging wrapper).</summary>
    public static EngineEndpoint Of(IContainerEngine engine) => engine switch
    {
        TestcontainersEngine t => t.Settings,
        LoggingContainerEngine l => Of(l.Inner),
        _ => new EngineEndpoint(engine.Endpoint),
    };

    /// <summary>A Docker.DotNet client builder for this endpoint (with the TLS credentials when there are any).</summary>
    public DockerClientBuilder ClientBuilder()
    {
        var builder = new DockerClientBuilder().WithEndpoint(Uri);
        return Tls is null ? builder : builder.WithAuthProvider(Tls.CreateCredentials());
    }

    /// <summary>The endpoint for Testcontainers' builders (<c>WithDockerEndpoint</c>).</summary>
    public IDockerEndpointAuthenticationConfiguration TestcontainersEndpoint() =>
        new DockerEndpointAuthenticationConfiguration(Uri, Tls?.CreateCredentials() ?? Docker.DotNet.Handler.Abstractions.NoopAuthProvider.Instance);

    /// <summary>The address, with the certificate folder when TLS is on.</summary>
    public override string ToString() => Tls is null ? Address : $"{Address} (TLS, certificates in '{Tls.CertPath}')";

    private static bool ParseSwitch(string? value, string variable)
    {
        if (string.IsNullOrWhiteSpace(value)) return false;
        return value.Trim().ToLowerInvariant() switch
        {
            "1" or "true" => true,
            "0" or "false" => false,
            _ => throw new ArgumentException($"{variable}='{value}' is not understood: set it to 1 (TLS, verifying the engine's certificate) or leave it unset."),
        };
    }
}
