using System.Net;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

/// <summary>
/// Reading an engine endpoint with TLS from the docker CLI's variables (DOCKER_HOST, DOCKER_TLS_VERIFY, DOCKER_CERT_PATH)
/// and the second node's siblings (NETPERF_SECOND_NODE...); no engine is contacted.
/// </summary>
public sealed class EngineTlsSettingsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netperf-tls-settings-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string Client()
    {
        var (_, client) = EngineCertificates.Write(_folder, IPAddress.Parse("10.214.9.2"));
        return client;
    }

    private static Func<string, string?> Env(params (string Name, string Value)[] values) =>
        name => values.FirstOrDefault(v => v.Name == name).Value;

    [Fact]
    public void Tcp_with_DOCKER_TLS_VERIFY_takes_the_certificates_from_DOCKER_CERT_PATH()
    {
        var certs = Client();

        var endpoint = EngineEndpoint.Main(Env(("DOCKER_HOST", "tcp://10.214.9.2:2376"), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", certs)));

        Assert.Equal("tcp://10.214.9.2:2376", endpoint.Address);
        Assert.NotNull(endpoint.Tls);
        Assert.Equal(Path.Combine(certs, "ca.pem"), endpoint.Tls.CaFile);
        Assert.Equal(Path.Combine(certs, "cert.pem"), endpoint.Tls.CertFile);
        Assert.Equal(Path.Combine(certs, "key.pem"), endpoint.Tls.KeyFile);
        Assert.True(endpoint.Tls.CreateCredentials().TlsEnabled);
    }

    [Theory]
    [InlineData("tcp://10.214.9.2", "tcp://10.214.9.2:2376")]
    [InlineData("tcp://10.214.9.2:12376", "tcp://10.214.9.2:12376")]
    public void With_TLS_the_port_defaults_to_Dockers_TLS_port(string host, string expected)
    {
        var certs = Client();

        var endpoint = EngineEndpoint.Main(Env(("DOCKER_HOST", host), ("DOCKER_TLS_VERIFY", "true"), ("DOCKER_CERT_PATH", certs)));

        Assert.Equal(expected, endpoint.Address);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("0")]
    [InlineData("false")]
    public void Without_DOCKER_TLS_VERIFY_tcp_is_plain(string? verify)
    {
        var endpoint = EngineEndpoint.Main(Env(("DOCKER_HOST", "tcp://10.214.9.2"), ("DOCKER_TLS_VERIFY", verify!), ("DOCKER_CERT_PATH", "/nonexistent")));

        Assert.Equal("tcp://10.214.9.2:2375", endpoint.Address);
        Assert.Null(endpoint.Tls);
    }

    [Fact]
    public void Missing_certificate_files_are_named_with_the_folder_searched_and_the_variable()
    {
        var certs = Client();
        File.Delete(Path.Combine(certs, "cert.pem"));
        File.Delete(Path.Combine(certs, "key.pem"));

        var e = Assert.Throws<ArgumentException>(() =>
            EngineEndpoint.Main(Env(("DOCKER_HOST", "tcp://10.214.9.2:2376"), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", certs))));

        Assert.Contains($"'{certs}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'cert.pem', 'key.pem' are missing", e.Message, StringComparison.Ordinal);
        Assert.Contains("DOCKER_CERT_PATH", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unset_cert_path_means_Dockers_default_folder()
    {
        var home = Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".docker");
        Assert.SkipWhen(File.Exists(Path.Combine(home, "ca.pem")), $"{home} holds a ca.pem; the message about missing files cannot be provoked");

        var e = Assert.Throws<ArgumentException>(() => EngineEndpoint.Main(Env(("DOCKER_HOST", "tcp://10.214.9.2"), ("DOCKER_TLS_VERIFY", "1"))));

        Assert.Contains($"'{home}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("'ca.pem'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TLS_verify_without_a_host_or_for_a_unix_socket_is_refused()
    {
        var certs = Client();

        var noHost = Assert.Throws<ArgumentException>(() => EngineEndpoint.Main(Env(("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", certs))));
        var socket = Assert.Throws<ArgumentException>(() =>
            EngineEndpoint.Main(Env(("DOCKER_HOST", "unix:///var/run/docker.sock"), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", certs))));

        Assert.Contains("DOCKER_HOST=tcp://host:2376", noHost.Message, StringComparison.Ordinal);
        Assert.Contains("'unix:///var/run/docker.sock' is a local socket", socket.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_unknown_TLS_switch_value_is_refused()
    {
        var e = Assert.Throws<ArgumentException>(() => EngineEndpoint.Main(Env(("DOCKER_HOST", "tcp://h"), ("DOCKER_TLS_VERIFY", "yes please"))));

        Assert.Contains("DOCKER_TLS_VERIFY='yes please'", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("https://host:2376")]
    [InlineData("ssh://user@host")]
    public void Https_and_ssh_forms_are_refused_with_the_forms_that_work_including_TLS(string host)
    {
        var certs = Client();

        var e = Assert.Throws<ArgumentException>(() => EngineEndpoint.Main(Env(("DOCKER_HOST", host), ("DOCKER_TLS_VERIFY", "1"), ("DOCKER_CERT_PATH", certs))));

        Assert.Contains($"'{host}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("tcp://host:2376 with DOCKER_TLS_VERIFY=1 and DOCKER_CERT_PATH", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_second_node_reads_its_own_sibling_variables()
    {
        var certs = Client();
        var env = Env(
            ("NETPERF_SECOND_NODE", "tcp://10.214.9.2:2376"), ("NETPERF_SECOND_NODE_TLS_VERIFY", "1"), ("NETPERF_SECOND_NODE_CERT_PATH", certs),
            ("DOCKER_TLS_VERIFY", "0"), ("DOCKER_CERT_PATH", "/nonexistent"));

        var endpoint = SecondNode.RemoteEndpoint(env);

        Assert.NotNull(endpoint);
        Assert.Equal("tcp://10.214.9.2:2376", endpoint.Address);
        Assert.Equal(certs, endpoint.Tls?.CertPath);
        Assert.Null(SecondNode.RemoteEndpoint(Env()));
    }

    [Fact]
    public void The_second_nodes_missing_files_name_its_variable()
    {
        var e = Assert.Throws<ArgumentException>(() => SecondNode.RemoteEndpoint(Env(
            ("NETPERF_SECOND_NODE", "tcp://10.214.9.2"), ("NETPERF_SECOND_NODE_TLS_VERIFY", "1"), ("NETPERF_SECOND_NODE_CERT_PATH", _folder))));

        Assert.Contains("NETPERF_SECOND_NODE_CERT_PATH", e.Message, StringComparison.Ordinal);
        Assert.Contains($"'{_folder}'", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_engine_and_its_swarm_client_share_the_TLS_settings_through_the_logging_wrapper()
    {
        var certs = Client();
        var settings = new EngineEndpoint("tcp://10.214.9.2:2376", EngineTls.FromFolder(certs, "test"));
        using var engine = new TestcontainersEngine(settings);
        using var logged = new NetPerf.Logging.LoggingContainerEngine(engine, Microsoft.Extensions.Logging.Abstractions.NullLogger.Instance);

        Assert.Same(settings, EngineEndpoint.Of(logged));
        using var api = new SwarmApi(logged);
        Assert.Same(settings.Tls, api.Settings.Tls);
    }

    [Fact]
    public void A_handshake_that_never_got_to_certificates_is_not_blamed_on_the_client_certificate()
    {
        var tls = EngineTls.FromFolder(Client(), "test");
        var handshake = new HttpRequestException("The SSL connection could not be established, see inner exception.",
            new System.Security.Authentication.AuthenticationException("Authentication failed, see inner exception.", new IOException("error:0A00010B:SSL routines::wrong version number")));
        var alert = new HttpRequestException("An error occurred while sending the request.",
            new IOException("Unable to read data from the transport connection.", new IOException("error:0A000412:SSL routines::sslv3 alert bad certificate")));

        var unrelated = tls.Explain(new HttpRequestException("Connection refused (10.214.9.2:2376)", new System.Net.Sockets.SocketException(111)), "tcp://10.214.9.2:2376");

        Assert.Null(unrelated);
        Assert.StartsWith("the TLS handshake with the engine at 'tcp://10.214.9.2:2376' failed: error:0A00010B:SSL routines::wrong version number.", tls.Explain(handshake, "tcp://10.214.9.2:2376"), StringComparison.Ordinal);
        var refused = tls.Explain(alert, "tcp://10.214.9.2:2376");
        Assert.NotNull(refused);
        Assert.Contains($"refused the client certificate '{tls.CertFile}'", refused, StringComparison.Ordinal);
    }

    [Fact]
    public void The_generated_server_certificate_is_issued_for_the_engine_address_by_the_CA_the_client_trusts()
    {
        var (server, client) = EngineCertificates.Write(_folder, IPAddress.Parse("10.214.9.2"));
        using var ca = System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadCertificateFromFile(Path.Combine(client, "ca.pem"));
        using var cert = System.Security.Cryptography.X509Certificates.X509Certificate2.CreateFromPemFile(Path.Combine(server, "cert.pem"), Path.Combine(server, "key.pem"));

        Assert.Equal(ca.Subject, cert.Issuer);
        Assert.True(cert.MatchesHostname("10.214.9.2"));
        Assert.False(cert.MatchesHostname("10.214.9.3"));
        Assert.True(cert.HasPrivateKey);
        Assert.Equal(File.ReadAllText(Path.Combine(server, "ca.pem")), File.ReadAllText(Path.Combine(client, "ca.pem")));
    }
}
