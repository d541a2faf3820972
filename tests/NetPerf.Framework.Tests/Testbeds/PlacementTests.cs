using NetPerf.Experiments;
using NetPerf.Plan;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Drivers;
using NetPerf.Tests.Extension;

namespace NetPerf.Tests.Testbeds;

/// <summary>The placement axis without an engine: plan, validation, reuse keys, VXLAN counter parsing.</summary>
public sealed class PlacementTests
{
    [Fact]
    public void Across_nodes_is_refused_for_a_driver_whose_network_lives_on_one_engine()
    {
        var e = Assert.Throws<ArgumentException>(() => new TestbedBuilder().WithDriver(Driver.Bridge).WithPlacement(Placement.AcrossNodes).BuildOptions());
        Assert.Contains("cannot place a pair across nodes", e.Message);
        Assert.Equal(Placement.AcrossNodes, new TestbedBuilder().WithDriver(Driver.Overlay).WithPlacement(Placement.AcrossNodes).BuildOptions().Placement);
        Assert.Equal(Placement.SameNode, new TestbedBuilder().BuildOptions().Placement);
        Assert.Equal(Placement.AcrossNodes, new TestbedBuilder().WithDriver(Driver.Macvlan).WithPlacement(Placement.AcrossNodes).BuildOptions().Placement);
        Assert.Throws<ArgumentException>(() => new TestbedBuilder().WithDriver(Driver.Ipvlan).WithPlacement(Placement.AcrossNodes).BuildOptions());
    }

    [Fact]
    public void A_named_macvlan_parent_cannot_be_placed_across_nodes()
    {
        var e = Assert.Throws<ArgumentException>(() =>
            new TestbedBuilder().WithDriver(Driver.Macvlan).WithMacvlanParent("eth1").WithPlacement(Placement.AcrossNodes).BuildOptions());
        Assert.Contains("'eth1'", e.Message, StringComparison.Ordinal);
        Assert.Contains("AcrossNodes", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Macvlan_across_a_remote_second_node_is_unavailable_with_the_reason_before_anything_is_made()
    {
        using var engine = new ProbeOnlyEngine();
        var probe = new ProbeResult(null, null, true, "netperf-tools:x", null, new OvsStatus(true, true, "3.1.0", false));
        var options = new TestbedBuilder().WithDriver(Driver.Macvlan).WithPlacement(Placement.AcrossNodes).BuildOptions();
        var context = new TestbedContext(engine, options, probe) { SecondNode = new TestbedContext.Node(engine, Namespace: null) };

        var e = await Assert.ThrowsAsync<DriverUnavailableException>(() => new MacvlanDriver().CreateAsync(context, TestContext.Current.CancellationToken));

        Assert.Contains(SecondNode.Variable, e.Message, StringComparison.Ordinal);
        Assert.Contains("shared L2 segment", e.Message, StringComparison.Ordinal);
        Assert.Empty(await context.UndoAllAsync());
    }

    [Fact]
    public void Testbeds_of_different_placements_are_never_shared()
    {
        var overlay = new TestbedBuilder().WithDriver(Driver.Overlay);
        Assert.NotEqual(TestbedReuse.KeyOf(overlay, "A", 1), TestbedReuse.KeyOf(overlay.WithPlacement(Placement.AcrossNodes), "A", 1));
    }

    [Fact]
    public void The_axis_makes_one_cell_per_placement_and_the_cell_knows_its_own()
    {
        var method = typeof(Samples).GetMethod(nameof(Samples.Scenario))!;
        var plan = new DriverTheoryAttribute(Driver.Overlay).PlanFor(method);
        Assert.Equal(2, plan.Cells.Count);
        Assert.Equal([Placement.SameNode, Placement.AcrossNodes], plan.Cells.Select(PlacementsAttribute.Of));
        Assert.Contains(plan.Cells, c => c.CellId.Contains("placement=AcrossNodes", StringComparison.Ordinal));
        Assert.Equal(Placement.SameNode, PlacementsAttribute.Of(new ExperimentCell("S", Driver.Bridge, 1)));
    }

    [Fact]
    public void A_cell_placed_across_nodes_is_skipped_with_the_reason_where_no_second_node_can_be_had()
    {
        var method = typeof(Samples).GetMethod(nameof(Samples.Scenario))!;
        const string why = "the main engine is not a swarm manager; run scripts/setup.sh";

        var reason = Attributes.DynamicSkip.ReasonOf(() => DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Overlay, 1, Placement.AcrossNodes], null, requireAllDrivers: false, () => why));
        var ex = Assert.Throws<DriverUnavailableException>(() => DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Overlay, 1, Placement.AcrossNodes], null, requireAllDrivers: true, () => why));

        Assert.Equal($"Placement 'AcrossNodes' is not available on this machine: {why}", reason);
        Assert.Contains(why, ex.Message, StringComparison.Ordinal);
        // The same cell on one node runs; so does the cell across nodes where a second node can be had.
        DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Overlay, 1, Placement.SameNode], null, requireAllDrivers: true, () => why);
        DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Overlay, 1, Placement.AcrossNodes], null, requireAllDrivers: true, () => null);
    }

    [Fact]
    public void Vxlan_counters_sum_both_directions_of_every_interface()
    {
        const string json = """
            [{"ifindex":4,"ifname":"vxlan0","stats64":{"rx":{"bytes":1000,"packets":10},"tx":{"bytes":500,"packets":5}}},
             {"ifindex":5,"ifname":"vxlan1","stats64":{"rx":{"bytes":1,"packets":1},"tx":{"bytes":2,"packets":2}}},
             {"ifindex":6,"ifname":"odd"}]
            """;
        Assert.Equal((18L, 1503L), VxlanCounters.Parse(json));
        Assert.Equal((0L, 0L), VxlanCounters.Parse("[]"));
    }

    private static class Samples
    {
        [Pairs(1)]
        [Placements(Placement.SameNode, Placement.AcrossNodes)]
        public static void Scenario(Driver driver, int pairs, Placement placement) => _ = (driver, pairs, placement);
    }
}
