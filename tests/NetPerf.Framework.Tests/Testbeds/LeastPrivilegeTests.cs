using System.Globalization;
using Docker.DotNet;
using Docker.DotNet.Models;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

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
