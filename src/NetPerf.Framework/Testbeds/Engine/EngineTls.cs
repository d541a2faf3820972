using System.Net.Security;
using System.Security.Authentication;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Docker.DotNet.Handler.Abstractions;
using Docker.DotNet.X509;

namespace NetPerf.Testbeds.Engine;

/// <summary>
/// Mutual TLS to a Docker engine the way the docker CLI does it with <c>DOCKER_TLS_VERIFY=1</c>: the engine's certificate
/// must be signed by <c>ca.pem</c> and issued for the host name or address dialled, and NetPerf shows the client
/// certificate <c>cert.pem</c> with its key <c>key.pem</c>, all three from one folder (<c>DOCKER_CERT_PATH</c>).
/// </summary>
/// <remarks>
/// Create one with <see cref="FromFolder"/>, which checks that the files are there (and names the missing ones with the
/// folder searched), and give it to <see cref="EngineEndpoint"/>. The certificates are read once, on first use. TLS
/// without verifying the engine's certificate (the CLI's <c>--tls</c> alone) is not offered: it would let any host that
/// answers on the address run NetPerf's containers.
/// </remarks>
internal sealed class EngineTls
{
    /// <summary>The CA that signed the engine's certificate.</summary>
    public const string CaFileName = "ca.pem";

    /// <summary>The client certificate.</summary>
    public const string CertFileName = "cert.pem";

    /// <summary>The client certificate's private key.</summary>
    public const string KeyFileName = "key.pem";

    private readonly Lazy<(X509Certificate2 Ca, X509Certificate2? Client)> _certificates;
    private volatile string? _lastRejection;

    private EngineTls(string certPath, string source, bool clientCertificate)
    {
        CertPath = certPath;
        Source = source;
        ClientCertificate = clientCertificate;
        _certificates = new(Load);
    }

    /// <summary>The folder holding <see cref="CaFileName"/>, <see cref="CertFileName"/> and <see cref="KeyFileName"/>.</summary>
    public string CertPath { get; }

    /// <summary>Where the folder was named (e.g. <c>DOCKER_CERT_PATH</c>), for messages.</summary>
    public string Source { get; }

    /// <summary>Whether a client certificate is shown (always, except in tests of an engine refusing a client without one).</summary>
    public bool ClientCertificate { get; }

    /// <summary>The CA file.</summary>
    public string CaFile => Path.Combine(CertPath, CaFileName);

    /// <summary>The client certificate file.</summary>
    public string CertFile => Path.Combine(CertPath, CertFileName);

    /// <summary>The client key file.</summary>
    public string KeyFile => Path.Combine(CertPath, KeyFileName);

    /// <summary>Why NetPerf last refused an engine's certificate, or <see langword="null"/> when it never did.</summary>
    public string? LastRejection => _lastRejection;

    /// <summary>TLS with the certificates in <paramref name="certPath"/>.</summary>
    /// <param name="certPath">The folder; relative paths are taken from the current directory.</param>
    /// <param name="source">Where the folder was named, for messages, e.g. <c>DOCKER_CERT_PATH</c>.</param>
    /// <param name="clientCertificate">Whether to show the client certificate (tests turn it off).</param>
    /// <exception cref="ArgumentException">A file is missing; the message names each missing file and the folder searched.</exception>
    public static EngineTls FromFolder(string certPath, string source, bool clientCertificate = true)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(certPath);
        var tls = new EngineTls(Path.GetFullPath(certPath), source, clientCertificate);
        string[] needed = clientCertificate ? [CaFileName, CertFileName, KeyFileName] : [CaFileName];
        var missing = needed.Where(f => !File.Exists(Path.Combine(tls.CertPath, f))).ToList();
        if (missing.Count > 0)
            throw new ArgumentException(
                $"TLS to the Docker engine needs {string.Join(", ", needed.Select(f => $"'{f}'"))} in '{tls.CertPath}' ({source}), but "
                + $"{string.Join(", ", missing.Select(f => $"'{f}'"))} {(missing.Count == 1 ? "is" : "are")} missing there. ca.pem is the CA that signed the engine's "
                + "certificate (dockerd --tlscert); cert.pem and key.pem are a client certificate and key signed by the CA the engine trusts (dockerd --tlscacert). "
                + $"Put them there or point {source} at the folder that holds them.", nameof(certPath));
        return tls;
    }

    /// <summary>The credentials a Docker.DotNet or Testcontainers client uses: the client certificate and the check of the engine's.</summary>
    /// <exception cref="ArgumentException">A file cannot be read as a PEM certificate or key.</exception>
    public IAuthProvider CreateCredentials()
    {
        var (ca, client) = _certificates.Value;
        return new TlsCredentials(client) { ServerCertificateValidationCallback = (_, certificate, _, errors) => Accept(ca, certificate, errors) };
    }

    /// <summary>
    /// A message for a failed call over TLS to <paramref name="endpoint"/>: an engine certificate NetPerf refused, or an engine
    /// that refused NetPerf's client certificate; <see langword="null"/> when <paramref name="failure"/> is not a TLS failure.
    /// </summary>
    internal string? Explain(Exception failure, string endpoint)
    {
        var chain = new List<Exception>();
        for (var e = failure; e is not null; e = e.InnerException) chain.Add(e);
        var detail = chain[^1].Message.Trim();
        if (chain.OfType<AuthenticationException>().Any() && _lastRejection is { } rejection)
            return $"NetPerf does not trust the TLS certificate of the engine at '{endpoint}': {rejection}. Put the CA that signed the engine's certificate "
                + $"(dockerd --tlscert) in '{CaFile}' ({Source}), or connect to a name or address the certificate was issued for.";
        bool tlsFailure = chain.Any(e => e is AuthenticationException
            || e.Message.Contains("SSL", StringComparison.Ordinal) || e.Message.Contains("alert", StringComparison.OrdinalIgnoreCase)
            || e.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase) || e.Message.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase));
        if (!tlsFailure) return null;
        // A TLS alert about a certificate is the engine's verdict on the client's; anything else (a server that does not
        // speak TLS, no common protocol version) is a handshake that never got to certificates.
        bool certificateAlert = chain.Any(e => e.Message.Contains("alert", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
            || chain.Any(e => e.Message.Contains("unexpected EOF", StringComparison.OrdinalIgnoreCase));
        if (!certificateAlert)
            return $"the TLS handshake with the engine at '{endpoint}' failed: {detail}. Is a Docker engine listening there with TLS (dockerd --tlsverify -H tcp://ADDRESS:2376)? "
                + "An engine without TLS is reached over plain tcp://host:2375 with TLS verification turned off.";
        var client = ClientCertificate ? $"the client certificate '{CertFile}'" : "a connection without a client certificate";
        return $"the engine at '{endpoint}' refused the TLS connection after NetPerf accepted its certificate: it most likely refused {client} "
            + $"(an engine started with --tlsverify accepts only client certificates signed by its --tlscacert). Use a cert.pem and key.pem signed by that CA in '{CertPath}' ({Source}). "
            + $"The TLS layer said: {detail}";
    }

    private bool Accept(X509Certificate2 ca, X509Certificate? presented, SslPolicyErrors errors)
    {
        string? problem = null;
        if (presented is null)
        {
            problem = "it presented no certificate";
        }
        else
        {
            using var certificate = X509CertificateLoader.LoadCertificate(presented.GetRawCertData());
            if ((errors & SslPolicyErrors.RemoteCertificateNameMismatch) != 0)
            {
                var names = certificate.Extensions.OfType<X509SubjectAlternativeNameExtension>()
                    .SelectMany(s => s.EnumerateDnsNames().Concat(s.EnumerateIPAddresses().Select(a => a.ToString()))).ToList();
                problem = $"its certificate ('{certificate.Subject}') is issued for {(names.Count == 0 ? "no host name or address" : string.Join(", ", names))}, not for the host dialled";
            }
            else
            {
                using var chain = new X509Chain();
                chain.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
                chain.ChainPolicy.CustomTrustStore.Add(ca);
                chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
                if (!chain.Build(certificate))
                    problem = $"its certificate ('{certificate.Subject}', issued by '{certificate.Issuer}') does not chain to the CA '{ca.Subject}' in '{CaFile}' "
                        + $"({string.Join("; ", chain.ChainStatus.Select(s => s.StatusInformation.Trim()).Distinct())})";
            }
        }
        if (problem is not null) _lastRejection = problem;
        return problem is null;
    }

    private (X509Certificate2 Ca, X509Certificate2? Client) Load()
    {
        try
        {
            var ca = X509CertificateLoader.LoadCertificateFromFile(CaFile);
            var client = ClientCertificate ? X509Certificate2.CreateFromPemFile(CertFile, KeyFile) : null;
            return (ca, client);
        }
        catch (CryptographicException e)
        {
            throw new ArgumentException($"The TLS files in '{CertPath}' ({Source}) cannot be read: {e.Message}. ca.pem and cert.pem must be PEM certificates, key.pem a PEM private key (PKCS#1, PKCS#8 or EC).", e);
        }
    }

    /// <summary>Docker.DotNet's certificate credentials, also for a client without a certificate (which the library's type needs).</summary>
    private sealed class TlsCredentials(X509Certificate2? client) : IAuthProvider
    {
        public bool TlsEnabled => true;

        public RemoteCertificateValidationCallback? ServerCertificateValidationCallback { get; init; }

        public HttpMessageHandler ConfigureHandler(HttpMessageHandler handler)
        {
            if (client is not null)
            {
                var certificates = new CertificateCredentials(client) { ServerCertificateValidationCallback = ServerCertificateValidationCallback };
                return certificates.ConfigureHandler(handler);
            }
            switch (handler)
            {
                case Microsoft.Net.Http.Client.ManagedHandler managed:
                    managed.ServerCertificateValidationCallback = ServerCertificateValidationCallback;
                    return managed;
                case SocketsHttpHandler sockets:
                    sockets.SslOptions.RemoteCertificateValidationCallback = ServerCertificateValidationCallback;
                    return sockets;
                case HttpClientHandler http:
                    http.ServerCertificateCustomValidationCallback = (_, c, chain, errors) => ServerCertificateValidationCallback!(this, c, chain, errors);
                    return http;
                default:
                    throw new NotSupportedException($"TLS without a client certificate is not supported with handler '{handler.GetType().Name}'.");
            }
        }
    }
}
