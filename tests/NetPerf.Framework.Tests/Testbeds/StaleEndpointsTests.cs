using System.Net;
using NetPerf.Tests.Extension;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// Docker 20.10's stale-endpoint fault (a network that "has active endpoints" with nothing attached, seen here after
/// 50-pair bridge teardowns) is told apart from real teardown failures and reported as a warning with what to do.
/// </summary>
public sealed class StaleEndpointsTests
{
    [Fact]
    public void Only_a_403_saying_active_endpoints_is_the_stale_endpoint_fault()
    {
        Assert.True(StaleEndpointsException.IsStaleEndpoints(new EngineException("DELETE /networks/{id}", HttpStatusCode.Forbidden,
            "error while removing network: network np-cf06b-0j id 0377 has active endpoints")));
        Assert.False(StaleEndpointsException.IsStaleEndpoints(new EngineException("DELETE /networks/{id}", HttpStatusCode.Forbidden, "operation not permitted")));
        Assert.False(StaleEndpointsException.IsStaleEndpoints(new EngineException("DELETE /networks/{id}", HttpStatusCode.NotFound, "has active endpoints")));
        Assert.False(StaleEndpointsException.IsStaleEndpoints(new InvalidOperationException("has active endpoints")));
    }

    [Fact]
    public void The_message_names_the_network_and_says_how_to_clear_it()
    {
        var e = new StaleEndpointsException("np-cf06b-0j");
        Assert.Equal("np-cf06b-0j", e.Network);
        Assert.Contains("'np-cf06b-0j'", e.Message, StringComparison.Ordinal);
        Assert.Contains("restarting the engine", e.Message, StringComparison.Ordinal);
        Assert.Contains("scripts/setup.sh", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Teardown_reports_the_fault_apart_from_real_failures()
    {
        using var engine = new ProbeOnlyEngine();
        var probe = new ProbeResult(null, null, true, "netperf-tools:x", null, new OvsStatus(true, true, "3.1.0", false));
        var context = new TestbedContext(engine, new TestbedBuilder().BuildOptions(), probe);
        var undone = new List<string>();
        context.Track("network 'np-a'", () => throw new StaleEndpointsException("np-a"));
        context.Track("veth 'npx'", () => throw new InvalidOperationException("Cannot find device"));
        context.Track("container 'np-a-s0'", () => { undone.Add("np-a-s0"); return Task.CompletedTask; });

        var (failures, faults) = await context.UndoAllReportingFaultsAsync();

        Assert.Equal(["np-a-s0"], undone);
        Assert.Equal(["veth 'npx': Cannot find device"], failures);
        Assert.Contains("Network 'np-a' could not be removed", Assert.Single(faults), StringComparison.Ordinal);
    }
}
