using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

/// <summary>Port blocks of Host-driver testbeds are held against other runs on the machine until released (lease files in a temporary folder).</summary>
public sealed class PortLeasesTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netperf-ports-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void A_block_a_run_holds_is_never_handed_out_until_it_is_released()
    {
        var none = new HashSet<int>();
        // (60000 - 30000) / 128 = 234 blocks: every one is handed out once, then there is none left.
        var leases = Enumerable.Range(0, 234).Select(_ => PortLeases.Reserve(10, none, _root)).ToList();
        Assert.Equal(234, leases.Select(l => l.From).Distinct().Count());
        Assert.All(leases, l => Assert.Equal(127, l.To - l.From));
        var e = Assert.Throws<InvalidOperationException>(() => PortLeases.Reserve(10, none, _root));
        Assert.Contains("free ports", e.Message, StringComparison.Ordinal);

        leases[17].Dispose();

        using var again = PortLeases.Reserve(10, none, _root);
        Assert.Equal(leases[17].From, again.From);
        // Disposing every lease again (17 a second time) leaves the block that is now held by another lease alone.
        foreach (var l in leases) l.Dispose();
        Assert.Equal([again.From.ToString(System.Globalization.CultureInfo.InvariantCulture)], Directory.GetFiles(_root).Select(Path.GetFileName));
    }

    [Fact]
    public void A_block_of_more_than_128_ports_holds_every_unit_it_spans()
    {
        var none = new HashSet<int>();
        using var big = PortLeases.Reserve(300, none, _root);

        Assert.True(big.To - big.From + 1 >= 300);
        // Every 128-port unit the block touches is held: no later block overlaps it.
        var others = Enumerable.Range(0, 20).Select(_ => PortLeases.Reserve(10, none, _root)).ToList();
        Assert.All(others, o => Assert.True(o.To < big.From || o.From > big.To, $"{o.From}-{o.To} overlaps {big.From}-{big.To}"));
        foreach (var o in others) o.Dispose();
    }

    [Fact]
    public void Leases_of_dead_runs_are_released_and_live_ones_kept()
    {
        File.WriteAllText(Path.Combine(_root, "30000"), "999999999:1");
        using var live = PortLeases.Reserve(10, new HashSet<int>(), _root);

        PortLeases.ReleaseDead(_root);

        Assert.False(File.Exists(Path.Combine(_root, "30000")));
        Assert.Single(Directory.GetFiles(_root));
        Assert.NotEqual(30000, live.From);
    }
}
