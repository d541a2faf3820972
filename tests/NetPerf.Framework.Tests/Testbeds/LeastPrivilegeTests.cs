using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// What every driver's testbed really asks of the engine, read back from the engine (docker inspect) rather than from
/// NetPerf's own specs: no privileged container, no added capability, no engine socket or other host path mounted
/// besides the testbed's shared folder, no host namespace but the Host driver's network, nothing published on all
/// interfaces, and a macvlan parent that is the testbed's own veth.
/// </summary>
[Trait("Category", "Integration")]
public sealed class LeastPrivilegeTests : IDisposable
{
    /// <summary>
    /// Capabilities a built-in driver or workload may add: none. Traffic shaping and links are set from the host, in the
    /// container's namespace (<see cref="Testbed.LimitRateAsync"/>, the Ovs driver), so containers never get NET_ADMIN.
    /// </summary>
    private static readonly string[] ListedCapabilities = [];

    /// <summary>
    /// Docker's default bounding set (CHOWN, DAC_OVERRIDE, FOWNER, FSETID, KILL, SETGID, SETUID, SETPCAP,
    /// NET_BIND_SERVICE, NET_RAW, SYS_CHROOT, MKNOD, AUDIT_WRITE, SETFCAP): a container's effective set must not exceed it.
    /// </summary>
    private const ulong DockerDefaultCapabilities = 0xa80425fb;

    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    public static TheoryData<Driver> Drivers => [Driver.Host, Driver.Bridge, Driver.BridgeNat, Driver.Macvlan, Driver.Ovs, Driver.Overlay, Driver.None, Driver.Container];

    [Theory]
    [MemberData(nameof(Drivers))]
    public async Task Containers_get_no_privilege_no_capability_no_engine_socket_and_nothing_on_all_interfaces(Driver driver)
    {
        var availability = new CapabilityCheck(_engine).Check(driver);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(_engine.Endpoint)).Build();
        await using var bed = await new TestbedBuilder().WithDriver(driver).WithPairs(2).WithEngine(_engine).BuildAsync(ct);
        await AssertNothingAddedAsync(docker, bed, driver, ct);
    }

    /// <summary>
    /// Users' own server and client containers (<see cref="TestbedBuilder.WithServers"/>, <see cref="TestbedBuilder.WithClients"/>):
    /// the user asks for an image, a command, environment, a file and a wait strategy, none of which is a privilege; read
    /// back from the engine, NetPerf added none either (the same checks as for the tools containers).
    /// </summary>
    [Theory]
    [MemberData(nameof(Drivers))]
    public async Task Own_containers_get_nothing_added_to_what_the_user_asked_for(Driver driver)
    {
        var availability = new CapabilityCheck(_engine).Check(driver);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        var image = HttpImage.Reference;
        Assert.SkipUnless(await _engine.ImageExistsAsync(image, ct),
            $"the HTTP image '{image}' is not on the engine; run 'scripts/build-image.sh http' (scripts/setup.sh builds it offline), or set {HttpImage.EnvironmentVariable}");
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(_engine.Endpoint)).Build();
        var builder = new TestbedBuilder().WithDriver(driver).WithPairs(2).WithEngine(_engine)
            .WithServers(new OwnContainer(image).WithCommand("sh", "-c", HttpImage.ServerScript).WithEnvironment("MODE", "least-privilege")
                .WithFile("/etc/netperf-test.conf", "x=1").WaitUntilPortIsListening())
            .WithClients(new OwnContainer(image).WithCommand("sleep", "infinity"));
        await using var bed = await builder.BuildAsync(ct);

        var own = await AssertNothingAddedAsync(docker, bed, driver, ct);

        // The checks really looked at the user's containers: every server (and client, where the driver has its own) runs the user's image.
        var expected = bed.Pairs.Select(p => p.Server.Id).Concat(bed.Pairs.Select(p => p.Client.Id)).Distinct().Count();
        Assert.Equal(expected, own.Count(c => c.Config?.Image == image));
        Assert.All(own.Where(c => bed.Pairs.Any(p => p.Server.Id == c.ID)), c => Assert.Contains("MODE=least-privilege", c.Config?.Env ?? []));
    }

    [Fact]
    public async Task A_macvlan_network_hangs_off_the_testbeds_own_veth_never_a_real_nic()
    {
        var availability = new CapabilityCheck(_engine).Check(Driver.Macvlan);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(_engine.Endpoint)).Build();
        await using var bed = await new TestbedBuilder().WithDriver(Driver.Macvlan).WithPairs(1).WithEngine(_engine).BuildAsync(ct);

        var network = await docker.Networks.InspectNetworkAsync(bed.Name, ct);
        var parent = network.Options["parent"];

        Assert.StartsWith($"np{Reaper.SessionId}{bed.Name.Split('-')[^1]}", parent, StringComparison.Ordinal);
        var link = HostCommand.Run("ip", "-d", "-o", "link", "show", "dev", parent);
        Assert.Contains(" veth ", link.Stdout, StringComparison.Ordinal);
    }

    /// <summary>
    /// A link the user names with <see cref="TestbedBuilder.WithMacvlanParent"/> (a veth this test creates, standing in for a
    /// NIC of the user's): the engine's macvlan network and every container's macvlan interface hang off exactly that link,
    /// the pairs move bytes, and teardown removes everything of the testbed but never the user's link.
    /// </summary>
    [Fact]
    public async Task A_macvlan_parent_named_with_WithMacvlanParent_is_exactly_that_link_and_teardown_leaves_it_to_its_owner()
    {
        var availability = new CapabilityCheck(_engine).Check(Driver.Macvlan);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(_engine.Endpoint)).Build();
        // Project-prefixed (np + this session), so a run killed before the finally below is swept by the next run.
        var parent = $"np{Reaper.SessionId}zp";
        await LinkTool.CreateVethPairAsync(parent, $"np{Reaper.SessionId}zq", null, ct);
        try
        {
            var index = IndexOf(parent);
            string tag;
            await using (var bed = await new TestbedBuilder().WithDriver(Driver.Macvlan).WithPairs(2).WithMacvlanParent(parent).WithEngine(_engine).BuildAsync(ct))
            {
                tag = bed.Name.Split('-')[^1];
                var network = await docker.Networks.InspectNetworkAsync(bed.Name, ct);
                Assert.Equal("macvlan", network.Driver);
                Assert.Equal(parent, network.Options["parent"]);
                Assert.Equal(parent, bed.Facts["macvlan.parent"]);
                foreach (var node in bed.Nodes)
                {
                    // Inside the container, the macvlan interface names its parent by the parent's index in the host's namespace.
                    var links = await bed.ExecAsync(node, ["ip", "-d", "-o", "link", "show"], TimeSpan.FromSeconds(10), ct);
                    var macvlan = Assert.Single(links.Stdout.Split('\n'), l => l.Contains(" macvlan mode ", StringComparison.Ordinal));
                    Assert.Contains($"@if{index}:", macvlan, StringComparison.Ordinal);
                    Assert.Contains("macvlan mode bridge", macvlan, StringComparison.Ordinal);
                }
                foreach (var pair in bed.Pairs)
                {
                    var bytes = await Iperf3BytesAsync(bed, pair, ct);
                    output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"pair {pair.Index}: {bytes:N0} bytes received in 1 s over the macvlan network on '{parent}'"));
                    Assert.True(bytes > 1_000_000, $"pair {pair.Index} moved only {bytes} bytes");
                }
            }

            // The user's link is still there, with nothing of the testbed on it or anywhere else.
            Assert.True(HostCommand.Run("ip", "-o", "link", "show", "dev", parent).Succeeded, $"teardown deleted the named link '{parent}'");
            Assert.Equal(index, IndexOf(parent));
            Assert.DoesNotContain($"@{parent}:", HostCommand.Run("ip", "-o", "link", "show").Stdout.Replace($"np{Reaper.SessionId}zq@{parent}:", "", StringComparison.Ordinal), StringComparison.Ordinal);
            Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
        }
        finally
        {
            await LinkTool.DeleteAsync(parent);
        }
        Assert.False(HostCommand.Run("ip", "-o", "link", "show", "dev", parent).Succeeded, $"the test's link '{parent}' was not removed");
    }

    /// <summary>
    /// A name that is no link here (plain, or with a dot, which Docker would take for a VLAN to create on the link before it)
    /// is refused before anything is created, naming it and what to do; no link of that name appears.
    /// </summary>
    [Theory]
    [InlineData("zx")]
    [InlineData("zy.7")]
    public async Task A_macvlan_parent_that_does_not_exist_is_an_error_naming_it_and_what_to_do(string suffix)
    {
        var availability = new CapabilityCheck(_engine).Check(Driver.Macvlan);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        using var docker = new DockerClientBuilder().WithEndpoint(new Uri(_engine.Endpoint)).Build();
        var missing = $"np{Reaper.SessionId}{suffix}";
        // For the dotted name, the link before the dot exists: the engine would try to put a VLAN on it.
        var before = suffix.Contains('.', StringComparison.Ordinal) ? missing[..missing.IndexOf('.', StringComparison.Ordinal)] : null;
        if (before is not null) await LinkTool.CreateVethPairAsync(before, $"np{Reaper.SessionId}zw", null, ct);
        try
        {
            var e = await Assert.ThrowsAsync<ArgumentException>(() =>
                new TestbedBuilder().WithDriver(Driver.Macvlan).WithPairs(1).WithMacvlanParent(missing).WithEngine(_engine).BuildAsync(ct));

            Assert.Contains($"The macvlan parent '{missing}' named with WithMacvlanParent is not a link on this machine", e.Message, StringComparison.Ordinal);
            Assert.Contains("ip -br link", e.Message, StringComparison.Ordinal);
            Assert.Contains("leave WithMacvlanParent out", e.Message, StringComparison.Ordinal);
            Assert.False(HostCommand.Run("ip", "-o", "link", "show", "dev", missing).Succeeded, $"a link '{missing}' was created");
            var onIt = new List<string>();
            foreach (var n in await docker.Networks.ListNetworksAsync(cancellationToken: ct))
                if (n.Options is { } options && options.TryGetValue("parent", out var p) && p == missing) onIt.Add(n.Name);
            ReliabilityLedger.Inputs("4. Bad input", "a macvlan parent that is no link", 1);
            Assert.Empty(onIt);
        }
        finally
        {
            if (before is not null) await LinkTool.DeleteAsync(before);
        }
    }

    private static int IndexOf(string link) =>
        int.Parse(HostCommand.Run("ip", "-o", "link", "show", "dev", link).Stdout.Split(':')[0], CultureInfo.InvariantCulture);

    /// <summary>A 1 s iperf3 run from the pair's client to its server; the bytes the server received.</summary>
    private static async Task<double> Iperf3BytesAsync(Testbed bed, Pair pair, CancellationToken ct)
    {
        var port = pair.Port.ToString(CultureInfo.InvariantCulture);
        await bed.StartDetachedAsync(pair.Server, ["iperf3", "-s", "-1", "-p", port], ct);
        // The server starts asynchronously: retry the connection for a few seconds.
        var run = await bed.ExecAsync(pair.Client, ["sh", "-c",
            $"for i in $(seq 1 50); do iperf3 -c {pair.Server.Address} -p {port} -t 1 -J > /tmp/iperf3.json && cat /tmp/iperf3.json && exit 0; sleep 0.1; done; cat /tmp/iperf3.json; exit 1"],
            TimeSpan.FromSeconds(30), ct);
        Assert.True(run.Succeeded, $"iperf3 from {pair.Client} to {pair.Server} failed: {run}");
        using var json = System.Text.Json.JsonDocument.Parse(run.Stdout);
        return json.RootElement.GetProperty("end").GetProperty("sum_received").GetProperty("bytes").GetDouble();
    }

    /// <summary>Reads every container of <paramref name="bed"/> back from the engine and asserts that nothing gives it more than Docker's defaults.</summary>
    /// <returns>The inspected containers.</returns>
    private static async Task<List<ContainerInspectResponse>> AssertNothingAddedAsync(DockerClient docker, Testbed bed, Driver driver, CancellationToken ct)
    {
        var gateway = driver == Driver.BridgeNat ? await GatewayOfAsync(docker, bed.Name, ct) : null;
        var inspected = new List<ContainerInspectResponse>();
        foreach (var node in bed.Nodes)
        {
            var c = await docker.Containers.InspectContainerAsync(node.Id, ct);
            inspected.Add(c);
            Assert.NotNull(c.HostConfig);
            Assert.NotNull(c.NetworkSettings);
            var host = c.HostConfig;
            var where = $"{driver} container '{node.Name}'";

            Assert.False(host.Privileged, $"{where} is privileged");
            var unlisted = (host.CapAdd ?? []).Except(ListedCapabilities).ToList();
            Assert.True(unlisted.Count == 0, $"{where} adds capabilities no driver or workload lists: {string.Join(", ", unlisted)}");
            Assert.True(host.SecurityOpt is null or { Count: 0 }, $"{where} has security options: {string.Join(", ", host.SecurityOpt ?? [])}");
            Assert.True(host.Devices is null or { Count: 0 }, $"{where} has host devices");
            Assert.NotEqual("host", host.PidMode);
            Assert.NotEqual("host", host.IpcMode);
            Assert.Equal(driver == Driver.Host, host.NetworkMode == "host");

            // The only host path inside is the testbed's own shared folder; never the engine's socket.
            Assert.All(c.Mounts, m => Assert.DoesNotContain("docker.sock", m.Source, StringComparison.Ordinal));
            var mount = Assert.Single(c.Mounts);
            Assert.Equal((bed.SharedDirectoryOnHost, bed.SharedDirectoryInContainer), (mount.Source, mount.Destination));

            // Published ports: only BridgeNat's servers publish, and only on the bridge's gateway, never 0.0.0.0 or ::.
            var asked = (host.PortBindings ?? new Dictionary<string, IList<PortBinding>>()).SelectMany(p => p.Value).ToList();
            var bound = (c.NetworkSettings.Ports ?? new Dictionary<string, IList<PortBinding>>()).SelectMany(p => p.Value ?? []).ToList();
            if (gateway is not null && bed.Pairs.Any(p => p.Server.Id == node.Id))
                Assert.NotEmpty(asked);
            else
                Assert.Empty(asked);
            Assert.All(asked.Concat(bound), b => Assert.True(b.HostIP == gateway, $"{where} publishes port {b.HostPort} on '{b.HostIP}', not on the bridge's gateway '{gateway}'"));

            // What the container's processes can really do (the effective set of its init process).
            var status = await bed.ExecAsync(node, ["grep", "CapEff", "/proc/1/status"], TimeSpan.FromSeconds(10), ct);
            var effective = ulong.Parse(status.Stdout.Split(':')[1].Trim(), NumberStyles.HexNumber, CultureInfo.InvariantCulture);
            Assert.True((effective & ~DockerDefaultCapabilities) == 0, $"{where} has capabilities beyond Docker's default set: CapEff {effective:x16}");
        }
        return inspected;
    }

    private static async Task<string> GatewayOfAsync(DockerClient docker, string network, CancellationToken ct)
    {
        var inspected = await docker.Networks.InspectNetworkAsync(network, ct);
        return Assert.Single(inspected.IPAM.Config).Gateway;
    }
}
