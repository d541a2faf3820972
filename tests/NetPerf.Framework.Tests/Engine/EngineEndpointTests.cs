using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

public class EngineEndpointTests
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
        Assert.Equal(expected, TestcontainersEngine.ResolveEndpoint(dockerHost));

    [Theory]
    [InlineData("npipe:////./pipe/docker_engine")]
    [InlineData("ssh://user@host")]
    [InlineData("https://host:2376")]
    [InlineData("unix://relative.sock")]
    [InlineData("tcp://")]
    [InlineData("tcp://host:2375/path")]
    public void Unsupported_endpoints_are_refused_with_the_forms_that_work(string dockerHost)
    {
        var e = Assert.Throws<ArgumentException>(() => TestcontainersEngine.ResolveEndpoint(dockerHost));

        Assert.Contains($"'{dockerHost}'", e.Message, StringComparison.Ordinal);
        Assert.Contains("unix:///", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_engine_takes_the_resolved_endpoint()
    {
        using var engine = new TestcontainersEngine("/tmp/x/docker.sock");

        Assert.Equal("unix:///tmp/x/docker.sock", engine.Endpoint);
        Assert.Equal("unix", engine.EndpointUri.Scheme);
    }
}
