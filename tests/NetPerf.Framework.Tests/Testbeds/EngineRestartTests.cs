using System.Diagnostics;
using System.Globalization;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// The engine restarted under a run (issue 13): a real NetPerf process whose engine is a second dockerd NetPerf started in
/// its own network namespace (so restarting it touches no one else's containers). Its dockerd is stopped and started again
/// the way a service manager does (SIGTERM) or as after a crash (SIGKILL) while iperf3 runs. The run must end within a
/// bound with a message that names the engine and what happened, and whatever it left must be gone once the next run swept.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(AcrossNodesTests))]
public sealed class EngineRestartTests : IDisposable
{
    // How long a run whose engine restarted may take to notice, report and end.
    private static readonly TimeSpan ExitBound = TimeSpan.FromSeconds(120);

    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task An_engine_restarted_during_a_workload_ends_the_run_with_a_clear_error_and_the_next_run_leaves_nothing(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var engine = await StartSecondEngineAsync(ct);
        try
        {
            const int pairs = 2;
            using var child = CliChild.Start(new Dictionary<string, string?> { [TestcontainersEngine.DockerHostVariable] = engine.Engine.Endpoint },
                "provision", "--driver", "Bridge", "--pairs", pairs.ToString(CultureInfo.InvariantCulture), "--workload-seconds", "60");
            var stderr = child.StandardError.ReadToEndAsync(ct);
            var session = await CliChild.ReadSessionAsync(child, ct, stderr);
            await CliChild.WaitForLineAsync(child, "workload: started", ct, stderr);
            var stdout = child.StandardOutput.ReadToEndAsync(ct);
            IReadOnlyList<string> containers = [.. (await engine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Select(c => c.Id)];
            Assert.Equal(2 * pairs, containers.Count);
            await ContainerProcesses.WaitForAsync(containers, "iperf3", 2 * pairs, ct);

            var watch = Stopwatch.StartNew();
            var exited = child.WaitForExitAsync(ct).ContinueWith(_ => watch.Elapsed, TaskScheduler.Default);
            var down = await engine.RestartAsync(crash: signal == "KILL", ct);
            // Docker 20.10 without live-restore: the containers' processes do not survive the restart.
            var survivors = ContainerProcesses.Of(containers, "iperf3");
            var exit = await exited.WaitAsync(ExitBound, ct);
            var said = await stderr;
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIG{signal} to dockerd: it answered again after {down.TotalSeconds:0.0} s; the run exited after {exit.TotalSeconds:0.0} s with code {child.ExitCode}; {survivors.Count} iperf3 left running after the restart"));
            output?.WriteLine("stdout:\n" + await stdout);
            output?.WriteLine("stderr:\n" + said);

            Assert.Empty(survivors);
            Assert.NotEqual(0, child.ExitCode);
            Assert.DoesNotContain("workload: finished", await stdout, StringComparison.Ordinal);
            // The run's own error (not only its teardown's) names the engine, says it went away during the run and what to do.
            var error = said.Split('\n').FirstOrDefault(l => l.StartsWith("Unhandled exception:", StringComparison.Ordinal)) ?? "";
            Assert.Contains("'iperf3'", error, StringComparison.Ordinal);
            Assert.Contains($"cannot reach the engine at '{engine.Engine.Endpoint}'", error, StringComparison.Ordinal);
            Assert.Contains("It answered earlier in this run, so it stopped, crashed or is restarting", error, StringComparison.Ordinal);
            Assert.Contains("Start the engine again", error, StringComparison.Ordinal);

            var left = await LeftOfSessionAsync(engine.Engine, session, containers);
            output?.WriteLine($"left by the run: {(left.Count == 0 ? "nothing" : string.Join(", ", left))}");
            var removed = await LeftoverSweeper.SweepAsync(engine.Engine, ct);
            output?.WriteLine($"swept: {(removed.Count == 0 ? "nothing" : string.Join(", ", removed))}");
            var leftAfterSweep = await LeftOfSessionAsync(engine.Engine, session, containers);
            ReliabilityLedger.Faults("1. Faults", $"the engine restarted (SIG{signal}) during a workload, then the next run's sweep", 1, leftAfterSweep.Count);
            Assert.Empty(leftAfterSweep);
        }
        finally
        {
            SecondNode.Release();
            await SecondNode.StopAsync();
        }
    }

    /// <summary>NetPerf's second engine in its own namespace, with the tools image; skips with the reason where none can be started.</summary>
    private async Task<NamespacedEngine> StartSecondEngineAsync(CancellationToken ct)
    {
        var reason = await SecondNode.UnavailableReasonAsync(_engine.Endpoint, ct);
        Assert.SkipWhen(reason is not null, $"no second engine here: {reason}");
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Bridge).Available, "needs the Bridge driver");
        await SecondNode.AcquireAsync(_engine, [ToolsImage.Reference], ct);
        return SecondNode.Local ?? throw new InvalidOperationException("no local second engine was started (is NETPERF_SECOND_NODE set?)");
    }

    /// <summary>What the session still has: containers and networks on the engine, links, processes in its containers, its state folder.</summary>
    private static async Task<List<string>> LeftOfSessionAsync(IContainerEngine engine, string session, IReadOnlyList<string> containers)
    {
        var left = new List<string>(await Leftovers.OfSessionAsync(engine, session));
        left.AddRange(ContainerProcesses.Of(containers).Select(p => $"process {p.Pid} ({p.Command})"));
        if (Directory.Exists(Path.Combine(Reaper.StateRoot, "sessions", session))) left.Add("session state folder");
        if (Directory.Exists(Path.Combine(Reaper.StateRoot, "testbeds", session))) left.Add("testbed state folder");
        return left;
    }
}
