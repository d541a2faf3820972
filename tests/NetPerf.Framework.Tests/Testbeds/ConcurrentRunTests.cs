using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// Two real NetPerf processes (the CLI) started at the same moment, each holding a testbed of the same driver on this
/// machine's one engine: nothing of theirs collides, and each removes only its own.
/// </summary>
[Trait("Category", "Integration")]
public sealed partial class ConcurrentRunTests : IDisposable
{
    private const int Pairs = 3;

    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Theory]
    [InlineData(Driver.Bridge)]
    [InlineData(Driver.Macvlan)]
    [InlineData(Driver.Ovs)]
    [InlineData(Driver.Host)]
    public async Task Two_runs_at_once_do_not_collide_and_a_signal_to_one_removes_only_its_own(Driver driver)
    {
        var availability = new CapabilityCheck(_engine).Check(driver);
        Assert.SkipUnless(availability.Available, $"needs the {driver} driver: {availability.Reason}");
        var ct = TestContext.Current.CancellationToken;
        string[] args = ["provision", "--driver", driver.ToString(), "--pairs", Pairs.ToString(CultureInfo.InvariantCulture), "--hold", "120"];
        using var first = CliChild.Start(args);
        using var second = CliChild.Start(args);
        try
        {
            // Identities first: a child that fails fast must still be named by its own error, read below.
            var (ownerA, ownerB) = (ProcessIdentity.Of(first.Id) ?? "", ProcessIdentity.Of(second.Id) ?? "");
            var a = await ReadyAsync(first, ownerA, ct);
            var b = await ReadyAsync(second, ownerB, ct);
            Assert.NotEqual(a.Session, b.Session);
            Assert.NotEqual("", a.Owner);
            Assert.NotEqual("", b.Owner);
            Assert.True(Directory.Exists(StateOf(a.Session)));
            Assert.True(Directory.Exists(StateOf(b.Session)));

            // Each run holds its own resources, and none of them is the other's.
            var ofA = await ResourcesAsync(a.Session);
            var ofB = await ResourcesAsync(b.Session);
            ExpectTestbed(driver, ofA);
            ExpectTestbed(driver, ofB);
            Assert.Empty(ofA.Intersect(ofB));

            // Subnets: both reserved theirs at about the same moment; the leases (files owned by each process) and the
            // engine's networks differ. Host networking has no subnet.
            var leasesA = LeasesOf(a.Owner, "subnets");
            var leasesB = LeasesOf(b.Owner, "subnets");
            var portsA = LeasesOf(a.Owner, "ports");
            var portsB = LeasesOf(b.Owner, "ports");
            if (driver != Driver.Host)
            {
                Assert.NotEmpty(leasesA);
                Assert.NotEmpty(leasesB);
                Assert.Empty(leasesA.Intersect(leasesB));
                Assert.Empty(portsA);
                Assert.Empty(portsB);
                var subnetsA = await SubnetsAsync(a.Session);
                var subnetsB = await SubnetsAsync(b.Session);
                Assert.Empty(subnetsA.Intersect(subnetsB));
                // Addresses of the pairs (as each run reports them) do not overlap either.
                Assert.Empty(a.Pairs.SelectMany(p => new[] { p.ClientAddress, p.ServerAddress }).Intersect(b.Pairs.SelectMany(p => new[] { p.ClientAddress, p.ServerAddress })));
            }
            else
            {
                Assert.Empty(leasesA);
                Assert.Empty(leasesB);
                // Host-network containers share the host's ports: the two runs' pair ports differ, and each run holds
                // its block (a lease file per 128 ports) until it ends.
                Assert.Empty(a.Pairs.Select(p => p.Port).Intersect(b.Pairs.Select(p => p.Port)));
                Assert.NotEmpty(portsA);
                Assert.NotEmpty(portsB);
                Assert.Empty(portsA.Intersect(portsB));
            }

            // Engine networks: a container of one run is attached to its own run's network only (Ovs and Host containers
            // have no engine network with an address).
            var engineNetwork = driver is Driver.Bridge or Driver.Macvlan;
            await ExpectOwnNetworkOnlyAsync(a.Session, engineNetwork);
            await ExpectOwnNetworkOnlyAsync(b.Session, engineNetwork);

            // SIGTERM to the first: all of it goes, all of the second stays, running and carrying traffic.
            HostCommand.Run("kill", "-TERM", first.Id.ToString(CultureInfo.InvariantCulture));
            await first.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            await Leftovers.NoneLeftAsync(_engine, a.Session, $"SIGTERM to one of two runs at once ({driver})", alsoLeft: LeasesAndStateOf(a), area: "3. Concurrent runs");
            Assert.Equal(ofB, await ResourcesAsync(b.Session));
            Assert.Equal(leasesB, LeasesOf(b.Owner, "subnets"));
            Assert.Equal(portsB, LeasesOf(b.Owner, "ports"));
            Assert.True(Directory.Exists(StateOf(b.Session)));
            var containersB = await _engine.ListContainersAsync($"{Reaper.SessionLabel}={b.Session}", ct);
            Assert.Equal(2 * Pairs, containersB.Count);
            Assert.All(containersB, c => Assert.Equal("running", c.State));
            foreach (var pair in b.Pairs)
                Assert.True(await Iperf3BytesAsync(containersB, pair, ct) > 0, $"pair {pair.Index} of the second run moved no bytes");

            // Then the second ends: nothing of either is left.
            HostCommand.Run("kill", "-TERM", second.Id.ToString(CultureInfo.InvariantCulture));
            await second.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);
            await Leftovers.NoneLeftAsync(_engine, b.Session, $"SIGTERM to the other run ({driver})", alsoLeft: LeasesAndStateOf(b), area: "3. Concurrent runs");
            Assert.Empty(await Leftovers.OfSessionAsync(_engine, a.Session));
        }
        finally
        {
            await StopAsync(first);
            await StopAsync(second);
        }
    }

    /// <summary>A run that printed <c>ready:</c>: its session, owner identity (as its leases name it) and pairs.</summary>
    private sealed record Run(string Session, string Owner, IReadOnlyList<PairLine> Pairs);

    /// <summary>One <c>  pair i: 'client' (address) -> 'server' (address):port</c> line of <c>netperf provision</c>.</summary>
    private sealed record PairLine(int Index, string Client, string ClientAddress, string Server, string ServerAddress, int Port);

    private static async Task<Run> ReadyAsync(Process child, string owner, CancellationToken ct)
    {
        var session = await CliChild.ReadSessionAsync(child, ct);
        await CliChild.WaitForLineAsync(child, "ready:", ct);
        var pairs = new List<PairLine>();
        for (var i = 0; i < Pairs; i++)
        {
            var line = await CliChild.WaitForLineAsync(child, "  pair ", ct);
            var m = PairPattern().Match(line);
            Assert.True(m.Success, $"unexpected pair line: {line}");
            pairs.Add(new PairLine(int.Parse(m.Groups["i"].Value, CultureInfo.InvariantCulture), m.Groups["c"].Value, m.Groups["ca"].Value,
                m.Groups["s"].Value, m.Groups["sa"].Value, int.Parse(m.Groups["port"].Value, CultureInfo.InvariantCulture)));
        }

        return new Run(session, owner, pairs);
    }

    /// <summary>Everything of a session on the machine (containers, networks, links, OVS bridges), sorted.</summary>
    private async Task<List<string>> ResourcesAsync(string session) =>
        [.. (await Leftovers.OfSessionAsync(_engine, session)).Order(StringComparer.Ordinal)];

    private static void ExpectTestbed(Driver driver, List<string> resources)
    {
        Assert.Equal(2 * Pairs, resources.Count(r => r.StartsWith("container ", StringComparison.Ordinal)));
        var networks = resources.Count(r => r.StartsWith("network ", StringComparison.Ordinal));
        var links = resources.Count(r => r.StartsWith("link ", StringComparison.Ordinal));
        var bridges = resources.Count(r => r.StartsWith("OVS bridge ", StringComparison.Ordinal));
        switch (driver)
        {
            case Driver.Bridge:
                Assert.Equal((1, 0, 0), (networks, links, bridges));
                break;
            case Driver.Macvlan:
                // The macvlan network hangs off a veth of the run's own.
                Assert.Equal((1, 0), (networks, bridges));
                Assert.True(links > 0, string.Join(", ", resources));
                break;
            case Driver.Ovs:
                // One host-side veth per container on the run's own OVS bridge.
                Assert.Equal((0, 1), (networks, bridges));
                Assert.True(links >= 2 * Pairs, string.Join(", ", resources));
                break;
            case Driver.Host:
                Assert.Equal((0, 0, 0), (networks, links, bridges));
                break;
        }
    }

    /// <summary>A run's state directory (its owner file; the sweeper treats a session without one as dead).</summary>
    private static string StateOf(string session) => Path.Combine(Reaper.StateRoot, "sessions", session);

    /// <summary>A run's subnet and port leases and its state directory, where still there.</summary>
    private static IEnumerable<string> LeasesAndStateOf(Run run) =>
        [.. LeasesOf(run.Owner, "subnets").Select(l => $"subnet lease {l}"), .. LeasesOf(run.Owner, "ports").Select(l => $"port lease {l}"),
         .. Directory.Exists(StateOf(run.Session)) ? [$"state directory {StateOf(run.Session)}"] : Array.Empty<string>()];

    /// <summary>The leases under /run/netperf/<paramref name="kind"/> (subnets: one per /24; ports: one per 128 ports) owned by this process identity.</summary>
    private static List<string> LeasesOf(string owner, string kind)
    {
        var root = Path.Combine(Reaper.StateRoot, kind);
        if (!Directory.Exists(root)) return [];
        var found = new List<string>();
        foreach (var file in Directory.GetFiles(root))
        {
            try
            {
                if (File.ReadAllText(file).Trim() == owner) found.Add(Path.GetFileName(file));
            }
            catch (IOException)
            {
                // Released while listed.
            }
        }

        return [.. found.Order(StringComparer.Ordinal)];
    }

    private async Task<List<string>> SubnetsAsync(string session) =>
        [.. (await _engine.ListNetworksAsync($"{Reaper.SessionLabel}={session}")).SelectMany(n => n.Subnets)];

    private async Task ExpectOwnNetworkOnlyAsync(string session, bool engineNetwork)
    {
        var own = (await _engine.ListNetworksAsync($"{Reaper.SessionLabel}={session}")).Select(n => n.Name).ToList();
        foreach (var c in await _engine.ListContainersAsync($"{Reaper.SessionLabel}={session}"))
        {
            var details = await _engine.InspectContainerAsync(c.Id);
            if (engineNetwork)
                Assert.Equal(own, details.IpAddresses.Keys);
            else
                Assert.Empty(details.IpAddresses);
        }
    }

    /// <summary>Bytes an iperf3 client received acknowledgement for in one second over the pair (its server is started for one test).</summary>
    private async Task<long> Iperf3BytesAsync(IReadOnlyList<ContainerSummary> containers, PairLine pair, CancellationToken ct)
    {
        var server = containers.Single(c => c.Name == pair.Server).Id;
        var client = containers.Single(c => c.Name == pair.Client).Id;
        var port = pair.Port.ToString(CultureInfo.InvariantCulture);
        await _engine.ExecDetachedAsync(server, ["iperf3", "-s", "-1", "-p", port], ct);
        var watch = Stopwatch.StartNew();
        while (true)
        {
            var run = await _engine.ExecAsync(client, ["iperf3", "-c", pair.ServerAddress, "-p", port, "-t", "1", "-J"], TimeSpan.FromSeconds(30), ct);
            if (run.Succeeded)
            {
                using var json = JsonDocument.Parse(run.Stdout);
                return (long)json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bytes").GetDouble();
            }

            // The server may not listen yet.
            if (watch.Elapsed > TimeSpan.FromSeconds(10))
                throw new InvalidOperationException($"iperf3 from '{pair.Client}' to {pair.ServerAddress}:{port} failed: {run.Stdout} {run.Stderr}");
            await Task.Delay(300, ct);
        }
    }

    /// <summary>Ends a child this test started and left running (a failed assertion): SIGTERM, then SIGKILL after 60 s.</summary>
    private static async Task StopAsync(Process child)
    {
        if (child.HasExited) return;
        HostCommand.Run("kill", "-TERM", child.Id.ToString(CultureInfo.InvariantCulture));
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        try
        {
            await child.WaitForExitAsync(timeout.Token);
        }
        catch (OperationCanceledException)
        {
            child.Kill();
        }
    }

    [GeneratedRegex(@"^  pair (?<i>\d+): '(?<c>[^']+)' \((?<ca>[^)]*)\) -> '(?<s>[^']+)' \((?<sa>[^)]*)\):(?<port>\d+)$")]
    private static partial Regex PairPattern();
}
