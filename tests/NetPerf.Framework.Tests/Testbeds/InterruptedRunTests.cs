using System.Diagnostics;
using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

/// <summary>A real NetPerf process (the CLI) interrupted by SIGTERM, SIGINT, and SIGKILL during provisioning.</summary>
[Trait("Category", "Integration")]
public sealed class InterruptedRunTests : IDisposable
{
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_tears_the_testbed_down_before_the_process_ends(string signal)
    {
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Ovs).Available, "needs the Ovs driver");
        var ct = TestContext.Current.CancellationToken;
        using var child = CliChild.Start("provision", "--driver", "Ovs", "--pairs", "3", "--hold", "120");
        var session = await CliChild.ReadSessionAsync(child, ct);
        await CliChild.WaitForLineAsync(child, "ready:", ct);
        Assert.NotEmpty(await Leftovers.OfSessionAsync(_engine, session));

        HostCommand.Run("kill", $"-{signal}", child.Id.ToString(CultureInfo.InvariantCulture));
        await child.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(60), ct);

        Assert.Empty(await Leftovers.OfSessionAsync(_engine, session));
    }

    [Fact]
    public async Task What_a_SIGKILLed_run_left_is_swept_by_the_next_run()
    {
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Ovs).Available, "needs the Ovs driver");
        var ct = TestContext.Current.CancellationToken;
        using var child = CliChild.Start("provision", "--driver", "Ovs", "--pairs", "20", "--hold", "120");
        var session = await CliChild.ReadSessionAsync(child, ct);
        // Kill while provisioning is under way: some containers exist, the testbed is not ready.
        var watch = Stopwatch.StartNew();
        while ((await _engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Count < 4 && watch.Elapsed < TimeSpan.FromSeconds(60))
            await Task.Delay(20, ct);
        child.Kill();
        await child.WaitForExitAsync(ct);
        var left = await Leftovers.OfSessionAsync(_engine, session);
        Assert.Contains(left, l => l.StartsWith("container", StringComparison.Ordinal));
        Assert.Contains(left, l => l.StartsWith("OVS bridge", StringComparison.Ordinal));

        var removed = await LeftoverSweeper.SweepAsync(_engine, ct);

        Assert.NotEmpty(removed);
        Assert.Empty(await Leftovers.OfSessionAsync(_engine, session));
        Assert.False(Directory.Exists(Path.Combine(Reaper.StateRoot, "sessions", session)));
    }
}
