using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Drivers;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Testbeds;

/// <summary>Real containers on a real engine: every driver, 1 and 4 pairs, real TCP bytes between every pair, nothing left behind.</summary>
[Trait("Category", "Integration")]
public sealed class TestbedIntegrationTests : IDisposable
{
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    public static TheoryData<Driver, int> Cells => new MatrixTheoryData<Driver, int>([Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs], [1, 4]);

    public static TheoryData<Driver, int> ReferenceCells => new MatrixTheoryData<Driver, int>([Driver.Overlay, Driver.None, Driver.Container, Driver.BridgeNat], [2]);

    [Theory]
    [MemberData(nameof(Cells))]
    [MemberData(nameof(ReferenceCells))]
    public async Task Every_pair_moves_tcp_bytes_and_teardown_leaves_nothing(Driver driver, int pairs)
    {
        SkipUnlessAvailable(driver);
        var ct = TestContext.Current.CancellationToken;
        string tag;
        await using (var bed = await new TestbedBuilder().WithDriver(driver).WithPairs(pairs).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            Assert.Equal(pairs, bed.Pairs.Count);
            Assert.Equal(pairs, bed.Pairs.Select(p => p.Port).Distinct().Count());
            var sizes = bed.Pairs.Select(p => 200_000 + (p.Index * 1_000)).ToArray();
            await Task.WhenAll(bed.Pairs.Select(p => SendAsync(bed, p, sizes[p.Index], ct)));
            foreach (var p in bed.Pairs)
                Assert.Equal(sizes[p.Index], await ReceivedBytesAsync(bed, p, ct));
            if (driver == Driver.Ovs)
                Assert.Contains(bed.Facts["ovs.datapath"], new[] { "system", "netdev" });
            // Host and None cells really run in host and none mode: the interfaces their containers see.
            var seen = (await bed.ExecAsync(bed.Pairs[0].Server, ["sh", "-c", "ls /sys/class/net"], TimeSpan.FromSeconds(10), ct)).Stdout
                .Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Order().ToList();
            // (docker0 lives only in the host's namespace; other tests add and remove veths there, so the full list moves.)
            if (driver == Driver.Host)
                Assert.Contains("docker0", seen);
            else if (driver is Driver.None or Driver.Container)
                Assert.Equal(["lo"], seen); // Container: the pair shares the server's namespace, which has no network of its own.
            else
                Assert.True(!seen.Contains("docker0") && seen.Any(i => i != "lo"), $"{driver} container sees: {string.Join(' ', seen)}");
        }
        Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
    }

    [Fact]
    public async Task A_failing_test_body_still_leaves_nothing()
    {
        SkipUnlessAvailable(Driver.Ovs);
        var ct = TestContext.Current.CancellationToken;
        string? tag = null;
        var failure = await Assert.ThrowsAsync<InvalidOperationException>(async () =>
        {
            await using var bed = await new TestbedBuilder().WithDriver(Driver.Ovs).WithPairs(2).WithEngine(_engine).BuildAsync(ct);
            tag = bed.Name.Split('-')[^1];
            throw new InvalidOperationException("failing on purpose");
        });
        Assert.Equal("failing on purpose", failure.Message);
        Assert.NotNull(tag);
        await Leftovers.NoneLeftAsync(_engine, Reaper.SessionId, "an exception in the test body", tag);
    }

    [Fact]
    public async Task Unavailable_driver_fails_to_build_with_the_reason()
    {
        var check = new CapabilityCheck(_engine);
        var unavailable = check.CheckAll().FirstOrDefault(a => !a.Available);
        Assert.SkipWhen(unavailable is null, "every driver is available on this machine");
        var e = await Assert.ThrowsAsync<DriverUnavailableException>(() =>
            new TestbedBuilder().WithDriver(DriverRegistry.BuiltIn.Get(unavailable!.Driver)).WithEngine(_engine).BuildAsync(TestContext.Current.CancellationToken));
        Assert.Contains(unavailable!.Reason, e.Message);
    }

    private void SkipUnlessAvailable(Driver driver)
    {
        var availability = new CapabilityCheck(_engine).Check(driver);
        Assert.SkipUnless(availability.Available, availability.Reason);
    }

    private static async Task SendAsync(Testbed bed, Pair pair, int bytes, CancellationToken ct)
    {
        var port = pair.Port.ToString(CultureInfo.InvariantCulture);
        var file = $"{bed.SharedDirectoryInContainer}/received-{pair.Index}";
        await bed.StartDetachedAsync(pair.Server, ["sh", "-c", $"nc -l -p {port} | wc -c > {file}.tmp && mv {file}.tmp {file}"], ct);
        // The listener starts asynchronously: retry the connection for a few seconds.
        var send = await bed.ExecAsync(pair.Client, ["sh", "-c",
            $"for i in $(seq 1 50); do head -c {bytes} /dev/zero | nc -N {pair.Server.Address} {port} && exit 0; sleep 0.1; done; exit 1"], TimeSpan.FromSeconds(30), ct);
        Assert.True(send.Succeeded, $"sending from {pair.Client} to {pair.Server} failed: {send}");
    }

    private static async Task<long> ReceivedBytesAsync(Testbed bed, Pair pair, CancellationToken ct)
    {
        var file = Path.Combine(bed.SharedDirectoryOnHost, $"received-{pair.Index}");
        for (var i = 0; i < 100 && !File.Exists(file); i++) await Task.Delay(100, ct);
        Assert.True(File.Exists(file), $"the receiver in {pair.Server} never finished (no {file})");
        return long.Parse((await File.ReadAllTextAsync(file, ct)).Trim(), CultureInfo.InvariantCulture);
    }
}
