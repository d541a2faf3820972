using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Extension;

/// <summary>A driver written outside NetPerf builds a real testbed: every pair moves TCP bytes, and teardown leaves nothing.</summary>
[Trait("Category", "Integration")]
public sealed class UserDriverIntegrationTests : IDisposable
{
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Fact]
    public async Task A_driver_of_your_own_provisions_pairs_that_move_tcp_bytes_and_leaves_nothing()
    {
        var driver = new UserBridgeDriver();
        var availability = new CapabilityCheck(_engine).Check(driver);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var ct = TestContext.Current.CancellationToken;
        string tag;
        await using (var bed = await new TestbedBuilder().WithDriver(driver).WithPairs(2).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            Assert.Equal("UserBridge", bed.Facts["driver"]);
            Assert.Equal("user-bridge", bed.Facts["network"]);
            foreach (var pair in bed.Pairs)
            {
                var port = pair.Port.ToString(CultureInfo.InvariantCulture);
                var file = $"{bed.SharedDirectoryInContainer}/user-{pair.Index}";
                await bed.StartDetachedAsync(pair.Server, ["sh", "-c", $"nc -l -p {port} | wc -c > {file}.tmp && mv {file}.tmp {file}"], ct);
                var send = await bed.ExecAsync(pair.Client, ["sh", "-c",
                    $"for i in $(seq 1 50); do head -c 123456 /dev/zero | nc -N {pair.Server.Address} {port} && exit 0; sleep 0.1; done; exit 1"], TimeSpan.FromSeconds(30), ct);
                Assert.True(send.Succeeded, $"sending from {pair.Client} to {pair.Server} failed: {send}");
                var received = Path.Combine(bed.SharedDirectoryOnHost, $"user-{pair.Index}");
                for (var i = 0; i < 100 && !File.Exists(received); i++) await Task.Delay(100, ct);
                Assert.Equal("123456", (await File.ReadAllTextAsync(received, ct)).Trim());
            }
        }

        Assert.Empty(await Leftovers.OfSessionAsync(_engine, Reaper.SessionId, tag));
    }
}
