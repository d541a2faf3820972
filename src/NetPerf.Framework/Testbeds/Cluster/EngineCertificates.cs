using System.Net;
using System.Numerics;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace NetPerf.Testbeds.Cluster;

/// <summary>
/// A throw-away certificate authority with a server certificate for one engine address and a client certificate, made in
/// process with .NET's <see cref="CertificateRequest"/> (no openssl), in the file layout Docker uses: <c>ca.pem</c>,
/// <c>cert.pem</c>, <c>key.pem</c>.
/// </summary>
/// <remarks>
/// For a <see cref="NamespacedEngine"/> that also listens with TLS, so that the code path of a real remote host
/// (<c>--tlsverify</c> engine, client certificates) is exercised on one machine. ECDSA P-256 keys, valid for 7 days.
/// </remarks>
internal static class EngineCertificates
{
    /// <summary>The folder under <c>folder</c> with dockerd's files (<c>--tlscacert</c>, <c>--tlscert</c>, <c>--tlskey</c>).</summary>
    public const string ServerFolder = "server";

    /// <summary>The folder under <c>folder</c> with a client's files (for <c>DOCKER_CERT_PATH</c>).</summary>
    public const string ClientFolder = "client";

    /// <summary>
    /// Writes a new CA, a server certificate for <paramref name="serverAddress"/> (its only subject alternative name) and a
    /// client certificate to <paramref name="folder"/>/server and <paramref name="folder"/>/client (both with ca.pem,
    /// cert.pem, key.pem; keys readable by the owner only).
    /// </summary>
    /// <returns>The server and client folders.</returns>
    public static (string Server, string Client) Write(string folder, IPAddress serverAddress)
    {
        ArgumentNullException.ThrowIfNull(serverAddress);
        var notBefore = DateTimeOffset.UtcNow.AddMinutes(-5);
        var notAfter = notBefore.AddDays(7);
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=NetPerf test CA " + Guid.NewGuid().ToString("N")[..8], caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, true, 0, true));
        caRequest.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.KeyCertSign | X509KeyUsageFlags.CrlSign, true));
        caRequest.CertificateExtensions.Add(new X509SubjectKeyIdentifierExtension(caRequest.PublicKey, false));
        using var ca = caRequest.CreateSelfSigned(notBefore, notAfter);

        var san = new SubjectAlternativeNameBuilder();
        san.AddIpAddress(serverAddress);
        var server = Issue(ca, $"CN={serverAddress}", "1.3.6.1.5.5.7.3.1", san.Build(), notBefore, notAfter);
        var client = Issue(ca, "CN=netperf-client", "1.3.6.1.5.5.7.3.2", null, notBefore, notAfter);

        var serverDir = Path.Combine(folder, ServerFolder);
        var clientDir = Path.Combine(folder, ClientFolder);
        Save(serverDir, ca, server);
        Save(clientDir, ca, client);
        return (serverDir, clientDir);
    }

    private static (string Certificate, string Key) Issue(X509Certificate2 ca, string subject, string usage, X509Extension? san, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest(subject, key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(false, false, 0, true));
        request.CertificateExtensions.Add(new X509KeyUsageExtension(X509KeyUsageFlags.DigitalSignature | X509KeyUsageFlags.KeyAgreement, true));
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid(usage)], false));
        request.CertificateExtensions.Add(X509AuthorityKeyIdentifierExtension.CreateFromCertificate(ca, true, false));
        if (san is not null) request.CertificateExtensions.Add(san);
        var serial = BigInteger.Abs(new BigInteger(RandomNumberGenerator.GetBytes(16))).ToByteArray(isUnsigned: true, isBigEndian: true);
        using var certificate = request.Create(ca, notBefore, notAfter, serial);
        return (certificate.ExportCertificatePem(), key.ExportPkcs8PrivateKeyPem());
    }

    private static void Save(string dir, X509Certificate2 ca, (string Certificate, string Key) pair)
    {
        Directory.CreateDirectory(dir);
        File.WriteAllText(Path.Combine(dir, Engine.EngineTls.CaFileName), ca.ExportCertificatePem() + "\n");
        File.WriteAllText(Path.Combine(dir, Engine.EngineTls.CertFileName), pair.Certificate + "\n");
        var key = Path.Combine(dir, Engine.EngineTls.KeyFileName);
        File.WriteAllText(key, pair.Key + "\n");
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(key, UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }
}
