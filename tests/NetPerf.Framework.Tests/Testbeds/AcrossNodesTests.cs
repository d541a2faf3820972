using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// A testbed across two engines of one swarm (issue 14): the main engine and a second engine NetPerf starts in its own
/// network namespace. Real bytes cross an overlay network between them, VXLAN counts them, and nothing is left: not after
/// a normal end, not after the owning process was SIGKILLed and a new run swept.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(AcrossNodesTests))]
public sealed class AcrossNodesTests : IDisposable
{
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task Overlay_across_two_engines_moves_bytes_over_vxlan_and_leaves_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await SkipUnlessSecondEngineAsync(ct);
        const int bytes = 4_000_000;
        string tag;
        NamespacedEngine local;
        await using (var bed = await new TestbedBuilder().WithDriver(Driver.Overlay).WithPlacement(Placement.AcrossNodes).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            local = SecondNode.Local ?? throw new InvalidOperationException("no local second engine was started");
            Assert.Equal("AcrossNodes", bed.Facts["placement"]);
            var pair = bed.Pairs[0];
            // The client runs on the second engine, the server on the main one.
            Assert.True((await local.Engine.InspectContainerAsync(pair.Client.Id, ct)).Running);
            await Assert.ThrowsAsync<EngineException>(() => local.Engine.InspectContainerAsync(pair.Server.Id, ct));
            Assert.True((await _engine.InspectContainerAsync(pair.Server.Id, ct)).Running);

            var network = (await _engine.ListNetworksAsync($"netperf.testbed={tag}", ct)).Single(n => n.Driver == "overlay");
            var before = await VxlanCounters.ReadAsync(network.Id, VxlanCounters.DefaultExecRoot, ct);
            var vethBefore = RootLinkBytes(local.RootLink);
            await SendAsync(bed, pair, bytes, ct);
            Assert.Equal(bytes, await ReceivedAsync(bed, ct));
            var after = await VxlanCounters.ReadAsync(network.Id, VxlanCounters.DefaultExecRoot, ct);

            Assert.NotNull(before);
            Assert.NotNull(after);
            Assert.True(after.Value.Bytes - before.Value.Bytes >= bytes,
                $"the VXLAN interface counted {after.Value.Bytes - before.Value.Bytes} bytes for {bytes} sent");
            Assert.True(after.Value.Packets - before.Value.Packets > 100, $"{after.Value.Packets - before.Value.Packets} VXLAN packets");
            // ... and the encapsulated bytes went over NetPerf's veth between the two namespaces.
            Assert.True(RootLinkBytes(local.RootLink) - vethBefore >= bytes, "the bytes did not cross the veth to the second engine's namespace");
        }
        Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
        Assert.Empty(await local.Engine.ListContainersAsync(null, ct));

        var (ns, link, dataRoot) = (local.Namespace, local.RootLink, Path.Combine(NamespacedEngine.DataRootBase, Reaper.SessionId));
        await SecondNode.StopAsync();
        Assert.Empty(SecondEngineLeftovers(ns, link, dataRoot, Reaper.SessionId));
        Assert.Equal(1, await SwarmNodesAsync(ct));
    }

    [Fact]
    public async Task Macvlan_across_two_engines_moves_bytes_over_the_testbeds_own_veth_and_leaves_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        await SkipUnlessSecondEngineAsync(ct);
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Macvlan).Available, "needs the Macvlan driver");
        const int bytes = 4_000_000;
        string tag, segment;
        NamespacedEngine local;
        await using (var bed = await new TestbedBuilder().WithDriver(Driver.Macvlan).WithPlacement(Placement.AcrossNodes).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            segment = $"np{Reaper.SessionId}{tag}ma";
            local = SecondNode.Local ?? throw new InvalidOperationException("no local second engine was started");
            Assert.Equal("veth between the two engines' namespaces", bed.Facts["macvlan.segment"]);
            var pair = bed.Pairs[0];
            Assert.True((await local.Engine.InspectContainerAsync(pair.Client.Id, ct)).Running);
            Assert.True((await _engine.InspectContainerAsync(pair.Server.Id, ct)).Running);
            // One macvlan network of the same name on each engine, each on its own end of the testbed's veth.
            var mine = (await _engine.ListNetworksAsync($"netperf.testbed={tag}", ct)).Single();
            var theirs = (await local.Engine.ListNetworksAsync($"netperf.testbed={tag}", ct)).Single();
            Assert.Equal(("macvlan", "macvlan"), (mine.Driver, theirs.Driver));
            Assert.Equal(mine.Name, theirs.Name);
            var peer = HostCommand.Run("nsenter", $"--net=/var/run/netns/{local.Namespace}", "ip", "-d", "link", "show", $"np{Reaper.SessionId}{tag}mb");
            Assert.True(peer.Succeeded && peer.Stdout.Contains("veth", StringComparison.Ordinal), $"the veth's other end is not in the second engine's namespace: {peer}");

            var segmentBefore = RootLinkBytes(segment);
            var engineLinkBefore = RootLinkBytes(local.RootLink);
            await SendAsync(bed, pair, bytes, ct);
            Assert.Equal(bytes, await ReceivedAsync(bed, ct));

            Assert.True(RootLinkBytes(segment) - segmentBefore >= bytes, "the bytes did not cross the testbed's veth between the two engines");
            // Not through the swarm's link (where VXLAN goes): macvlan frames are not encapsulated.
            Assert.True(RootLinkBytes(local.RootLink) - engineLinkBefore < bytes / 10, "the bytes went over the swarm's link, not the macvlan segment");
        }
        Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
        Assert.Empty(await local.Engine.ListNetworksAsync($"netperf.testbed={tag}", ct));
        Assert.False(HostCommand.Run("ip", "link", "show", segment).Succeeded, $"link {segment} is left");

        var (ns, link, dataRoot) = (local.Namespace, local.RootLink, Path.Combine(NamespacedEngine.DataRootBase, Reaper.SessionId));
        await SecondNode.StopAsync();
        Assert.Empty(SecondEngineLeftovers(ns, link, dataRoot, Reaper.SessionId));
    }

    [Fact]
    public async Task A_SIGKILLed_run_s_second_engine_is_removed_by_the_next_run()
    {
        var ct = TestContext.Current.CancellationToken;
        await SkipUnlessSecondEngineAsync(ct);
        using var child = CliChild.Start("provision", "--driver", "Overlay", "--placement", "AcrossNodes", "--hold", "300");
        var session = await CliChild.ReadSessionAsync(child, ct);
        await CliChild.WaitForLineAsync(child, "ready:", ct);
        var (ns, link, dataRoot) = ($"np{session}ns", $"np{session}e0", Path.Combine(NamespacedEngine.DataRootBase, session));
        Assert.NotEmpty(SecondEngineLeftovers(ns, link, dataRoot, session));
        Assert.Equal(2, await SwarmNodesAsync(ct));

        child.Kill(); // SIGKILL: no teardown runs.
        await child.WaitForExitAsync(ct);
        Assert.NotEmpty(SecondEngineLeftovers(ns, link, dataRoot, session));

        var removed = await LeftoverSweeper.SweepAsync(_engine, ct);

        Assert.Contains($"second engine '{ns}'", removed);
        var nodes = await SwarmNodesAsync(ct);
        await Leftovers.NoneLeftAsync(_engine, session, "SIGKILL of a run holding a second engine, then the next run's sweep",
            alsoLeft: [.. SecondEngineLeftovers(ns, link, dataRoot, session), .. nodes > 1 ? [$"{nodes - 1} extra swarm node(s)"] : Array.Empty<string>()]);
    }

    private async Task SkipUnlessSecondEngineAsync(CancellationToken ct)
    {
        var reason = await SecondNode.UnavailableReasonAsync(_engine.Endpoint, ct);
        Assert.SkipWhen(reason is not null, $"no second engine here: {reason}");
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Overlay).Available, "needs the Overlay driver");
    }

    private async Task<int> SwarmNodesAsync(CancellationToken ct)
    {
        using var api = new SwarmApi(_engine.Endpoint);
        return (await api.NodesAsync(ct)).Count;
    }

    /// <summary>What of a second engine is still on the machine: its namespace, veth, dockerd, data root, state.</summary>
    private static List<string> SecondEngineLeftovers(string ns, string link, string dataRoot, string session)
    {
        var found = new List<string>();
        if (HostCommand.Run("ip", "netns", "list").Stdout.Split('\n').Any(l => l.Split(' ')[0] == ns)) found.Add($"namespace {ns}");
        if (HostCommand.Run("ip", "link", "show", link).Succeeded) found.Add($"link {link}");
        if (Directory.Exists(dataRoot)) found.Add($"data root {dataRoot}");
        if (Directory.Exists(Path.Combine(NamespacedEngine.StateRoot, session))) found.Add("state directory");
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (IOException) { continue; }
            if (cmdline.Contains(dataRoot, StringComparison.Ordinal) || cmdline.Contains(Path.Combine(NamespacedEngine.StateRoot, session), StringComparison.Ordinal))
                found.Add($"process {Path.GetFileName(dir)}: {cmdline.Trim()}");
        }
        return found;
    }

    private static long RootLinkBytes(string link) =>
        long.Parse(File.ReadAllText($"/sys/class/net/{link}/statistics/rx_bytes").Trim(), CultureInfo.InvariantCulture)
        + long.Parse(File.ReadAllText($"/sys/class/net/{link}/statistics/tx_bytes").Trim(), CultureInfo.InvariantCulture);

    private static async Task SendAsync(Testbed bed, Pair pair, int bytes, CancellationToken ct)
    {
        var port = pair.Port.ToString(CultureInfo.InvariantCulture);
        var file = $"{bed.SharedDirectoryInContainer}/received";
        await bed.StartDetachedAsync(pair.Server, ["sh", "-c", $"nc -l -p {port} | wc -c > {file}.tmp && mv {file}.tmp {file}"], ct);
        var send = await bed.ExecAsync(pair.Client, ["sh", "-c",
            $"for i in $(seq 1 50); do head -c {bytes} /dev/zero | nc -N {pair.Server.Address} {port} && exit 0; sleep 0.1; done; exit 1"], TimeSpan.FromSeconds(60), ct);
        Assert.True(send.Succeeded, $"sending from {pair.Client} to {pair.Server} failed: {send}");
    }

    private static async Task<long> ReceivedAsync(Testbed bed, CancellationToken ct)
    {
        var file = Path.Combine(bed.SharedDirectoryOnHost, "received");
        for (var i = 0; i < 100 && !File.Exists(file); i++) await Task.Delay(100, ct);
        Assert.True(File.Exists(file), $"the receiver never finished (no {file})");
        return long.Parse((await File.ReadAllTextAsync(file, ct)).Trim(), CultureInfo.InvariantCulture);
    }
}
