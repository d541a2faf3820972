using System.Diagnostics;
using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// A real NetPerf process (the CLI) interrupted by SIGTERM, SIGINT and SIGKILL while it holds a testbed, during provisioning,
/// during a workload (iperf3 running in its containers) and during teardown.
/// </summary>
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

        await Leftovers.NoneLeftAsync(_engine, session, $"SIG{signal} of a run holding a testbed", alsoLeft: StateFolderOf(session));
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
        await Leftovers.NoneLeftAsync(_engine, session, "SIGKILL during provisioning, then the next run's sweep", alsoLeft: StateFolderOf(session));
    }

    // How long an interrupted run may take to clean up and end (its teardown waits up to 60 s per testbed, as the Reaper does).
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(60);

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_during_a_workload_removes_the_testbed_and_its_tools_before_the_process_ends(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        const int pairs = 2;
        var (child, session, containers) = await StartWorkloadAsync(pairs, ct);
        using var _ = child;
        var tools = await ContainerProcesses.WaitForAsync(containers, "iperf3", 2 * pairs, ct);

        var watch = Stopwatch.StartNew();
        HostCommand.Run("kill", $"-{signal}", child.Id.ToString(CultureInfo.InvariantCulture));
        await child.WaitForExitAsync(ct).WaitAsync(ExitBound, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIG{signal} with {tools.Count} iperf3 processes running: exit after {watch.Elapsed.TotalSeconds:0.0} s (code {child.ExitCode})"));

        await AssertNothingLeftAsync(session, containers, $"SIG{signal} during a workload");
    }

    [Fact]
    public async Task What_a_run_SIGKILLed_during_a_workload_left_is_swept_with_its_tools_by_the_next_run()
    {
        var ct = TestContext.Current.CancellationToken;
        const int pairs = 2;
        var (child, session, containers) = await StartWorkloadAsync(pairs, ct);
        using var _ = child;
        await ContainerProcesses.WaitForAsync(containers, "iperf3", 2 * pairs, ct);

        child.Kill();
        await child.WaitForExitAsync(ct);
        var left = await Leftovers.OfSessionAsync(_engine, session);
        Assert.Equal(2 * pairs, left.Count(l => l.StartsWith("container", StringComparison.Ordinal)));
        Assert.Contains(left, l => l.StartsWith("network", StringComparison.Ordinal));
        // Nobody stops the tools of a killed run: iperf3 keeps sending until its containers go.
        Assert.NotEmpty(ContainerProcesses.Of(containers, "iperf3"));

        var removed = await LeftoverSweeper.SweepAsync(_engine, ct);

        Assert.NotEmpty(removed);
        await AssertNothingLeftAsync(session, containers, "SIGKILL during a workload, then the next run's sweep");
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("INT")]
    public async Task A_signal_during_teardown_lets_the_teardown_finish_before_the_process_ends(string signal)
    {
        var (driver, pairs) = TeardownCase();
        var ct = TestContext.Current.CancellationToken;
        using var child = CliChild.Start("provision", "--driver", driver.ToString(), "--pairs", pairs.ToString(CultureInfo.InvariantCulture), "--workload-seconds", "2");
        var session = await CliChild.ReadSessionAsync(child, ct);
        await CliChild.WaitForLineAsync(child, "workload: finished", ct);
        var containers = await ContainerIdsAsync(session, ct);
        await CliChild.WaitForLineAsync(child, "teardown: started", ct);

        var watch = Stopwatch.StartNew();
        HostCommand.Run("kill", $"-{signal}", child.Id.ToString(CultureInfo.InvariantCulture));
        await child.WaitForExitAsync(ct).WaitAsync(ExitBound, ct);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIG{signal} during the teardown of {driver.ToString()} x {pairs}: exit after {watch.Elapsed.TotalSeconds:0.0} s (code {child.ExitCode})"));

        await AssertNothingLeftAsync(session, containers, $"SIG{signal} during teardown");
    }

    [Fact]
    public async Task What_a_run_SIGKILLed_during_teardown_left_is_swept_by_the_next_run()
    {
        var (driver, pairs) = TeardownCase();
        var ct = TestContext.Current.CancellationToken;
        using var child = CliChild.Start("provision", "--driver", driver.ToString(), "--pairs", pairs.ToString(CultureInfo.InvariantCulture));
        var session = await CliChild.ReadSessionAsync(child, ct);
        await CliChild.WaitForLineAsync(child, "ready:", ct);
        var containers = await ContainerIdsAsync(session, ct);
        await CliChild.WaitForLineAsync(child, "teardown: started", ct);

        child.Kill();
        await child.WaitForExitAsync(ct);
        var left = await Leftovers.OfSessionAsync(_engine, session);
        // Killed a few milliseconds into a teardown of seconds: part of the testbed is left (otherwise this tested nothing).
        Assert.NotEmpty(left);
        TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"SIGKILL during the teardown of {driver.ToString()} x {pairs} left {left.Count}: {string.Join(", ", left)}"));

        var removed = await LeftoverSweeper.SweepAsync(_engine, ct);

        Assert.NotEmpty(removed);
        await AssertNothingLeftAsync(session, containers, "SIGKILL during teardown, then the next run's sweep");
    }

    /// <summary>A real run on Bridge whose iperf3 workload (60 s) has started: the child, its session and its containers.</summary>
    private async Task<(Process Child, string Session, IReadOnlyList<string> Containers)> StartWorkloadAsync(int pairs, CancellationToken ct)
    {
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Bridge).Available, "needs the Bridge driver");
        var child = CliChild.Start("provision", "--driver", "Bridge", "--pairs", pairs.ToString(CultureInfo.InvariantCulture), "--workload-seconds", "60");
        try
        {
            var session = await CliChild.ReadSessionAsync(child, ct);
            await CliChild.WaitForLineAsync(child, "workload: started", ct);
            return (child, session, await ContainerIdsAsync(session, ct));
        }
        catch
        {
            child.Dispose();
            throw;
        }
    }

    /// <summary>Nothing of the session is left: no container, network, link or OVS bridge, no process in its containers, no state folder.</summary>
    private Task AssertNothingLeftAsync(string session, IReadOnlyList<string> containers, string fault) =>
        Leftovers.NoneLeftAsync(_engine, session, fault,
            alsoLeft: [.. ContainerProcesses.Of(containers).Select(p => $"process {p.Pid} {p.Command}"), .. StateFolderOf(session)]);

    /// <summary>The session's state folder, when it is still there.</summary>
    private static IEnumerable<string> StateFolderOf(string session) =>
        Directory.Exists(Path.Combine(Reaper.StateRoot, "sessions", session)) ? [$"state folder of session {session}"] : [];

    /// <summary>A testbed whose teardown takes seconds: Ovs (a port and two veths per container) where it runs, else a larger Bridge testbed.</summary>
    private (Driver Driver, int Pairs) TeardownCase() =>
        new CapabilityCheck(_engine).Check(Driver.Ovs).Available ? (Driver.Ovs, 8) : (Driver.Bridge, 16);

    private async Task<IReadOnlyList<string>> ContainerIdsAsync(string session, CancellationToken ct) =>
        [.. (await _engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Select(c => c.Id)];
}
