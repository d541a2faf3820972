using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

public class DockerEndpointTests
{
    [Theory]
    [InlineData(null, "unix:///var/run/docker.sock")]
    [InlineData("", "unix:///var/run/docker.sock")]
    [InlineData("  ", "unix:///var/run/docker.sock")]
    [InlineData("unix:///run/user/1000/docker.sock", "unix:///run/user/1000/docker.sock")]
    [InlineData("/var/run/other.sock", "unix:///var/run/other.sock")]
    [InlineData("tcp://127.0.0.1:2376", "tcp://127.0.0.1:2376")]
    [InlineData("tcp://localhost", "tcp://localhost:2375")]
    [InlineData("tcp://127.0.0.1:80/", "tcp://127.0.0.1:80")]
    [InlineData("http://127.0.0.1:2375", "tcp://127.0.0.1:2375")]
    public void DOCKER_HOST_values_resolve_to_an_endpoint(string? dockerHost, string expected) =>
        Assert.Equal(expected, DockerEngine.ResolveEndpoint(dockerHost));

    [Fact]
    public void A_unix_endpoint_keeps_its_socket_path()
    {
        DockerEndpoint endpoint = DockerEndpoint.Parse("unix:///tmp/x/docker.sock");

        Assert.Equal("/tmp/x/docker.sock", endpoint.SocketPath);
        Assert.Equal("http", endpoint.BaseAddress.Scheme);
    }

    [Fact]
    public void A_tcp_endpoint_becomes_a_plain_http_base_address()
    {
        DockerEndpoint endpoint = DockerEndpoint.Parse("tcp://10.0.0.5:2375");

        Assert.Null(endpoint.SocketPath);
        Assert.Equal(new Uri("http://10.0.0.5:2375/"), endpoint.BaseAddress);
    }

    [Theory]
    [InlineData("npipe:////./pipe/docker_engine")]
    [InlineData("ssh://user@host")]
    [InlineData("https://host:2376")]
    [InlineData("unix://relative.sock")]
    [InlineData("tcp://")]
    [InlineData("tcp://host:2375/path")]
    public void Unsupported_endpoints_are_refused_with_the_forms_that_work(string dockerHost)
    {
        var e = Assert.Throws<ArgumentException>(() => DockerEngine.ResolveEndpoint(dockerHost));

        Assert.Contains($"'{dockerHost}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unix:///", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Constructor_rejects_bad_options()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new DockerEngine(DockerEngine.DefaultEndpoint, new DockerEngineOptions { CallTimeout = TimeSpan.Zero }));
        Assert.Throws<ArgumentOutOfRangeException>(() => new DockerEngine(DockerEngine.DefaultEndpoint, new DockerEngineOptions { MaxConnections = 0 }));
    }
}
