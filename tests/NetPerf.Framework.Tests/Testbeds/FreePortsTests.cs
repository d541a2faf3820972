using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

public sealed class FreePortsTests
{
    [Fact]
    public void Parses_the_local_port_of_a_proc_net_line()
    {
        Assert.Equal(5201, FreePorts.ParseLocalPort("   0: 00000000:1451 00000000:0000 0A 00000000:00000000 00:00000000 00000000     0        0 12345 1"));
        Assert.Equal(443, FreePorts.ParseLocalPort("   1: 00000000000000000000000001000000:01BB 00000000000000000000000000000000:0000 0A"));
        Assert.Null(FreePorts.ParseLocalPort("garbage"));
    }

    [Fact]
    public void A_block_never_contains_a_used_port()
    {
        var used = new HashSet<int>(Enumerable.Range(30000, 29000));
        for (var i = 0; i < 50; i++)
        {
            var from = FreePorts.FindBlock(100, used);
            Assert.DoesNotContain(Enumerable.Range(from, 100), used.Contains);
            Assert.InRange(from, 30000, 60000 - 100);
        }
    }

    [Fact]
    public void No_free_block_is_an_error_that_says_what_to_do()
    {
        var e = Assert.Throws<InvalidOperationException>(() => FreePorts.FindBlock(10, new HashSet<int>(Enumerable.Range(1, 65535))));
        Assert.Contains("free ports", e.Message);
    }

    [Fact]
    public void The_ports_of_this_host_include_a_socket_this_test_opens()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        var port = ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;

        Assert.Contains(port, FreePorts.UsedPorts());
    }
}
