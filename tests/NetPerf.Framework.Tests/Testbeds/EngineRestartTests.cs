using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;
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
            var (child, session, containers, stdout, stderr) = await StartWorkloadChildAsync(engine, 60, ct);
            using var childProcess = child;

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
            AssertNamesTheEngineAndWhatToDo(error, engine);
            // The engine has no live-restore (its /info said so when the run began): the message says its containers stopped.
            Assert.Contains("it has no live-restore, so it stops every container when it stops", error, StringComparison.Ordinal);

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

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task An_engine_with_live_restore_restarted_during_a_workload_keeps_the_containers_and_the_run_ends_with_a_true_error_and_the_next_run_leaves_nothing(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await SkipUnlessSecondEngineAsync(ct);
        // Its own engine, not SecondNode's: live-restore is refused in swarm mode, so this one does not join the swarm.
        await using var engine = await NamespacedEngine.StartAsync(_engine, [ToolsImage.Reference], null, ct, liveRestore: true);
        Assert.True(await LiveRestoreEnabledAsync(engine, ct), $"the engine '{engine.Namespace}' does not report LiveRestoreEnabled in its /info");

        var (child, session, containers, stdout, stderr) = await StartWorkloadChildAsync(engine, 60, ct);
        using var childProcess = child;
        var before = ContainerProcesses.Of(containers);
        var tools = ContainerProcesses.Of(containers, "iperf3");

        var watch = Stopwatch.StartNew();
        var exited = child.WaitForExitAsync(ct).ContinueWith(_ => watch.Elapsed, TaskScheduler.Default);
        var down = await engine.RestartAsync(crash: signal == "KILL", ct);
        var after = ContainerProcesses.Of(containers);
        var exit = await exited.WaitAsync(ExitBound, ct);
        var toolsAtExit = ContainerProcesses.Of(containers, "iperf3");
        var said = await stderr;
        var printed = await stdout;
        var running = (await engine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Count(c => c.State == "running");
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"SIG{signal} to dockerd (live-restore): it answered again after {down.TotalSeconds:0.0} s; {after.Count(p => before.Contains(p))} of the containers' {before.Count} processes ran on ({after.Count(p => p.Command == "iperf3" && tools.Contains(p))} of {tools.Count} iperf3); "
            + $"the run exited after {exit.TotalSeconds:0.0} s with code {child.ExitCode}; {toolsAtExit.Count} iperf3 then; {running} of its {containers.Count} containers running once it had ended"));
        output?.WriteLine("stdout:\n" + printed);
        output?.WriteLine("stderr:\n" + said);

        // Live-restore: the containers' first processes survived the restart (so the engine really kept them).
        var firsts = before.Where(p => p.Command != "iperf3").ToList();
        Assert.NotEmpty(firsts);
        Assert.All(firsts, p => Assert.Contains(p, after));
        // Its tools too (the error says so): the iperf3 processes that ran before the signal still run after the restart.
        Assert.All(tools, p => Assert.Contains(p, after));
        // The run cannot finish its workload (the tools' output streams to it were cut): it fails within the bound,
        // saying what is true of this engine: it went away, it keeps the containers running, which engine to start.
        Assert.NotEqual(0, child.ExitCode);
        Assert.DoesNotContain("workload: finished", printed, StringComparison.Ordinal);
        var error = RunError(said);
        Assert.Contains("'iperf3'", error, StringComparison.Ordinal);
        AssertNamesTheEngineAndWhatToDo(error, engine);
        Assert.Contains("it has live-restore on, so this run's containers and their tools run on while it is down, but the tools' output streams to this run are cut", error, StringComparison.Ordinal);
        Assert.DoesNotContain("stops every container", error, StringComparison.Ordinal);

        await AssertTheSweepLeavesNothingAsync(engine, session, containers, $"the engine with live-restore restarted (SIG{signal}) during a workload, then the next run's sweep", ct);
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task An_engine_restarted_during_provisioning_ends_the_run_with_a_clear_error_and_the_next_run_leaves_nothing(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var engine = await StartSecondEngineAsync(ct);
        try
        {
            // 32 containers: provisioning takes seconds on this engine, so the restart lands while some but not all exist.
            const int pairs = 16;
            using var child = CliChild.Start(new Dictionary<string, string?> { [TestcontainersEngine.DockerHostVariable] = engine.Engine.Endpoint },
                "provision", "--driver", "Bridge", "--pairs", pairs.ToString(CultureInfo.InvariantCulture));
            var stderr = child.StandardError.ReadToEndAsync(ct);
            var session = await CliChild.ReadSessionAsync(child, ct, stderr);
            var stdout = child.StandardOutput.ReadToEndAsync(ct);
            var waited = Stopwatch.StartNew();
            IReadOnlyList<string> made = [];
            while (made.Count < 4 && waited.Elapsed < TimeSpan.FromSeconds(90) && !child.HasExited)
            {
                made = [.. (await engine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Select(c => c.Id)];
                await Task.Delay(20, ct);
            }
            Assert.InRange(made.Count, 4, 2 * pairs - 1);

            var (down, exit) = await RestartUnderTheRunAsync(engine, child, signal, ct);
            var said = await stderr;
            var printed = await stdout;
            var all = await SessionContainersAsync(engine, session, made, ct);
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIG{signal} to dockerd with {made.Count} of {2 * pairs} containers made: it answered again after {down.TotalSeconds:0.0} s; the run exited after {exit.TotalSeconds:0.0} s with code {child.ExitCode}"));
            output?.WriteLine("stdout:\n" + printed);
            output?.WriteLine("stderr:\n" + said);

            Assert.NotEqual(0, child.ExitCode);
            Assert.DoesNotContain("ready:", printed, StringComparison.Ordinal);
            AssertNamesTheEngineAndWhatToDo(RunError(said), engine);

            await AssertTheSweepLeavesNothingAsync(engine, session, all, $"the engine restarted (SIG{signal}) during provisioning, then the next run's sweep", ct);
        }
        finally
        {
            SecondNode.Release();
            await SecondNode.StopAsync();
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task An_engine_restarted_during_teardown_ends_the_run_with_a_clear_error_and_the_next_run_leaves_nothing(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var engine = await StartSecondEngineAsync(ct);
        try
        {
            // 32 containers: their removal takes seconds, so the restart lands while the teardown is under way.
            const int pairs = 16;
            using var child = CliChild.Start(new Dictionary<string, string?> { [TestcontainersEngine.DockerHostVariable] = engine.Engine.Endpoint },
                "provision", "--driver", "Bridge", "--pairs", pairs.ToString(CultureInfo.InvariantCulture));
            var stderr = child.StandardError.ReadToEndAsync(ct);
            var session = await CliChild.ReadSessionAsync(child, ct, stderr);
            await CliChild.WaitForLineAsync(child, "ready:", ct, stderr);
            IReadOnlyList<string> containers = [.. (await engine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Select(c => c.Id)];
            Assert.Equal(2 * pairs, containers.Count);
            await CliChild.WaitForLineAsync(child, "teardown: started", ct, stderr);
            var stdout = child.StandardOutput.ReadToEndAsync(ct);

            var (down, exit) = await RestartUnderTheRunAsync(engine, child, signal, ct);
            var said = await stderr;
            var printed = await stdout;
            var left = await LeftOfSessionAsync(engine.Engine, session, containers);
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIG{signal} to dockerd during the teardown of {2 * pairs} containers: it answered again after {down.TotalSeconds:0.0} s; the run exited after {exit.TotalSeconds:0.0} s with code {child.ExitCode}; left {left.Count}"));
            output?.WriteLine("stdout:\n" + printed);
            output?.WriteLine("stderr:\n" + said);

            // The restart landed during the teardown (otherwise this tested nothing): part of the testbed is left.
            Assert.NotEmpty(left);
            Assert.NotEqual(0, child.ExitCode);
            Assert.DoesNotContain("torn down in", printed, StringComparison.Ordinal);
            var error = RunError(said);
            Assert.Contains("could not remove everything it made", error, StringComparison.Ordinal);
            // What is left is named in a few lines (the containers in one), not a screen of the same engine error.
            Assert.Contains(" container(s) '", error, StringComparison.Ordinal);
            Assert.InRange(error.Split('\n').TakeWhile(l => !l.TrimStart().StartsWith("at ", StringComparison.Ordinal)).Count(), 3, 10);
            AssertNamesTheEngineAndWhatToDo(error, engine);

            await AssertTheSweepLeavesNothingAsync(engine, session, containers, $"the engine restarted (SIG{signal}) during teardown, then the next run's sweep", ct);
        }
        finally
        {
            SecondNode.Release();
            await SecondNode.StopAsync();
        }
    }

    [Theory]
    [InlineData("TERM")]
    [InlineData("KILL")]
    public async Task An_engine_that_does_not_come_back_ends_the_run_within_the_bound_and_once_it_is_back_the_next_run_leaves_nothing(string signal)
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var engine = await StartSecondEngineAsync(ct);
        try
        {
            var (child, session, containers, stdout, stderr) = await StartWorkloadChildAsync(engine, 120, ct);
            using var childProcess = child;

            var watch = Stopwatch.StartNew();
            var exited = child.WaitForExitAsync(ct).ContinueWith(_ => watch.Elapsed, TaskScheduler.Default);
            var stop = await engine.StopDockerdAsync(crash: signal == "KILL", ct);
            // The engine stays down: the run must end on its own, within the bound.
            var exit = await exited.WaitAsync(DownBound, ct);
            var said = await stderr;
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"SIG{signal} to dockerd, not started again: it was gone after {stop.TotalSeconds:0.0} s; the run exited after {exit.TotalSeconds:0.0} s with code {child.ExitCode}"));
            output?.WriteLine("stdout:\n" + await stdout);
            output?.WriteLine("stderr:\n" + said);

            Assert.NotEqual(0, child.ExitCode);
            Assert.DoesNotContain("workload: finished", await stdout, StringComparison.Ordinal);
            var error = RunError(said);
            Assert.Contains("'iperf3'", error, StringComparison.Ordinal);
            AssertNamesTheEngineAndWhatToDo(error, engine);

            var back = await engine.StartDockerdAsync(ct);
            output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"started again: it answered after {back.TotalSeconds:0.0} s"));
            await AssertTheSweepLeavesNothingAsync(engine, session, containers, $"the engine stopped (SIG{signal}) during a workload and not started again until the run ended, then the next run's sweep", ct);
        }
        finally
        {
            SecondNode.Release();
            await SecondNode.StopAsync();
        }
    }

    [Fact]
    public async Task An_engine_disposed_while_its_dockerd_is_dead_ends_the_containers_left_under_their_shims()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        var engine = await StartSecondEngineAsync(ct);
        IReadOnlyList<string> containers = [];
        IReadOnlyList<(int Pid, string Command)> sleeping = [];
        IReadOnlyList<string> shims = [];
        var execRoot = engine.ExecRoot;
        var stderr = new StringWriter();
        try
        {
            containers = await Task.WhenAll(Enumerable.Range(0, 2).Select(i => engine.Engine.RunContainerAsync(
                new ContainerBuilder().WithName($"np-{Reaper.SessionId}-shim{i}").WithImage(ToolsImage.Reference).WithCommand("sleep", "infinity").Build(), ct)));
            await engine.StopDockerdAsync(crash: true, ct);
            // Precondition: without live-restore, a killed dockerd's containers run on under their shims until it starts again.
            sleeping = ContainerProcesses.Of(containers, "sleep");
            Assert.Equal(2, sleeping.Count);
            shims = ShimsOf(execRoot);
            Assert.Equal(2, shims.Count);
        }
        finally
        {
            SecondNode.Release();
            var original = Console.Error;
            Console.SetError(stderr);
            try { await SecondNode.StopAsync(); }
            finally { Console.SetError(original); }
        }

        var left = ContainerProcesses.Of(containers).Select(p => $"process {p.Pid} ({p.Command})").Concat(ShimsOf(execRoot)).ToList();
        output?.WriteLine($"left after the dispose: {(left.Count == 0 ? "nothing" : string.Join(", ", left))}");
        ReliabilityLedger.Faults("1. Faults", "a second engine disposed while its dockerd was dead (SIGKILL) with 2 containers running", 1, left.Count);
        Assert.Empty(left);

        // What it ended is reported, by container and pid: each container's first process and each shim.
        var said = stderr.ToString();
        output?.WriteLine($"reported: {said.Trim()}");
        Assert.Equal(4, engine.EndedAtDisposal.Count);
        foreach (var id in containers)
            Assert.Contains(engine.EndedAtDisposal, l => l.StartsWith($"container {id[..12]} (pid ", StringComparison.Ordinal));
        foreach (var (pid, _) in sleeping)
            Assert.Contains($"(pid {pid.ToString(CultureInfo.InvariantCulture)})", string.Join(", ", engine.EndedAtDisposal), StringComparison.Ordinal);
        foreach (var id in containers)
            Assert.Contains(engine.EndedAtDisposal, l => l.StartsWith($"containerd-shim of {id[..12]} (pid ", StringComparison.Ordinal));
        foreach (var shim in shims)
            Assert.Contains($"(pid {shim["containerd-shim ".Length..]})", string.Join(", ", engine.EndedAtDisposal), StringComparison.Ordinal);
        Assert.Contains($"[netperf] the second engine '{engine.Namespace}' had no dockerd running, so its containers ran on under their containerd-shims; ended {string.Join(", ", engine.EndedAtDisposal)}.", said, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_killed_run_s_second_engine_whose_dockerd_is_dead_is_swept_with_the_containers_left_under_its_shims()
    {
        var ct = TestContext.Current.CancellationToken;
        var output = TestContext.Current.TestOutputHelper;
        await SkipUnlessSecondEngineAsync(ct);
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Overlay).Available, "needs the Overlay driver");
        // A run holding its own second engine (placement AcrossNodes), SIGKILLed: no teardown runs, its engine stays.
        using var child = CliChild.Start("provision", "--driver", "Overlay", "--placement", "AcrossNodes", "--pairs", "2", "--hold", "300");
        var session = await CliChild.ReadSessionAsync(child, ct);
        await CliChild.WaitForLineAsync(child, "ready:", ct);
        var stateDir = Path.Combine(NamespacedEngine.StateRoot, session);
        var state = JsonSerializer.Deserialize<NamespacedEngine.State>(await File.ReadAllTextAsync(Path.Combine(stateDir, "engine.json"), ct))!;
        IReadOnlyList<string> containers;
        using (var second = new TestcontainersEngine("unix://" + state.Socket))
            containers = [.. (await second.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Select(c => c.Id)];
        Assert.Equal(2, containers.Count);
        child.Kill();
        await child.WaitForExitAsync(ct);

        // Then its dockerd dies too (SIGKILL, as a crash or an OOM kill would end it); its containerd dies with it.
        var dockerd = state.Dockerd!;
        var containerd = int.Parse((await File.ReadAllTextAsync(Path.Combine(state.ExecRoot, "containerd", "containerd.pid"), ct)).Trim(), CultureInfo.InvariantCulture);
        Assert.True(HostCommand.Run("kill", "-KILL", dockerd[..dockerd.IndexOf(':')]).Succeeded);
        var gone = Stopwatch.StartNew();
        while ((ProcessIdentity.IsAlive(dockerd) || Directory.Exists($"/proc/{containerd.ToString(CultureInfo.InvariantCulture)}")) && gone.Elapsed < TimeSpan.FromSeconds(30))
            await Task.Delay(50, ct);
        Assert.False(ProcessIdentity.IsAlive(dockerd), "dockerd did not end within 30 s of SIGKILL");
        // Precondition: the containers run on under their shims, which no engine call reaches.
        var processes = ContainerProcesses.Of(containers);
        var shims = ShimsOf(state.ExecRoot);
        output?.WriteLine($"with the run and its dockerd dead: {processes.Count} container processes ({string.Join(", ", processes.Select(p => $"{p.Pid} {p.Command}"))}), {shims.Count} shims");
        Assert.NotEmpty(processes);
        Assert.Equal(2, shims.Count);

        var watch = Stopwatch.StartNew();
        var removed = await LeftoverSweeper.SweepAsync(_engine, ct);
        output?.WriteLine(string.Create(CultureInfo.InvariantCulture, $"swept in {watch.Elapsed.TotalSeconds:0.0} s: {string.Join(", ", removed)}"));

        Assert.Contains($"second engine '{state.Namespace}'", removed);
        // What the sweep had to end is among what it reports: each container's first process and its shim, by id and pid.
        foreach (var id in containers)
        {
            Assert.Contains(removed, l => l.StartsWith($"container {id[..12]} (pid ", StringComparison.Ordinal) && l.EndsWith($" of second engine '{state.Namespace}'", StringComparison.Ordinal));
            Assert.Contains(removed, l => l.StartsWith($"containerd-shim of {id[..12]} (pid ", StringComparison.Ordinal));
        }
        var left = ContainerProcesses.Of(containers).Select(p => $"process {p.Pid} ({p.Command})")
            .Concat(ShimsOf(state.ExecRoot))
            .Concat(SecondEngineLeftovers(state)).ToList();
        await Leftovers.NoneLeftAsync(_engine, session, "a killed run's second engine whose dockerd was dead too (SIGKILL), then the next run's sweep", alsoLeft: left);
    }

    /// <summary>What of a second engine is still on the machine: its namespace, veth, data root, state folder, and any process naming its folders.</summary>
    private static List<string> SecondEngineLeftovers(NamespacedEngine.State state)
    {
        var found = new List<string>();
        if (HostCommand.Run("ip", "netns", "list").Stdout.Split('\n').Any(l => l.Split(' ')[0] == state.Namespace)) found.Add($"namespace {state.Namespace}");
        if (HostCommand.Run("ip", "link", "show", state.RootLink).Succeeded) found.Add($"link {state.RootLink}");
        if (Directory.Exists(state.DataRoot)) found.Add($"data root {state.DataRoot}");
        var stateDir = Path.Combine(NamespacedEngine.StateRoot, state.Session);
        if (Directory.Exists(stateDir)) found.Add($"state folder {stateDir}");
        foreach (var dir in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            string cmdline;
            try { cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' '); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            if (cmdline.Contains(state.DataRoot, StringComparison.Ordinal) || cmdline.Contains(stateDir, StringComparison.Ordinal))
                found.Add($"process {Path.GetFileName(dir)}: {cmdline.Trim()}");
        }
        return found;
    }

    /// <summary>Whether the engine's /info says LiveRestoreEnabled.</summary>
    private static async Task<bool> LiveRestoreEnabledAsync(NamespacedEngine engine, CancellationToken ct)
    {
        var info = await HostCommand.RunAsync("docker", ["-H", engine.Engine.Endpoint, "info", "--format", "{{.LiveRestoreEnabled}}"], TimeSpan.FromSeconds(20), ct);
        return info.Succeeded && info.Stdout.Trim() == "true";
    }

    private async Task SkipUnlessSecondEngineAsync(CancellationToken ct)
    {
        var reason = await SecondNode.UnavailableReasonAsync(_engine.Endpoint, ct);
        Assert.SkipWhen(reason is not null, $"no second engine here: {reason}");
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Bridge).Available, "needs the Bridge driver");
    }

    // How long a run whose engine went away for good may take to end: its calls fail at once on a socket nobody listens to;
    // a call the engine took but never answered waits for the call timeout (60 s), then the teardown's removals fail at once.
    private static readonly TimeSpan DownBound = TimeSpan.FromSeconds(90);

    /// <summary>Restarts the engine under the child (SIGTERM or SIGKILL); how long the engine was down and when the child ended, both from the signal.</summary>
    private static async Task<(TimeSpan Down, TimeSpan Exit)> RestartUnderTheRunAsync(NamespacedEngine engine, Process child, string signal, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var exited = child.WaitForExitAsync(ct).ContinueWith(_ => watch.Elapsed, TaskScheduler.Default);
        var down = await engine.RestartAsync(crash: signal == "KILL", ct);
        var exit = await exited.WaitAsync(ExitBound, ct);
        return (down, exit);
    }

    /// <summary>The run's own error: the <c>Unhandled exception:</c> line and the lines after it.</summary>
    private static string RunError(string stderr)
    {
        var at = stderr.IndexOf("Unhandled exception:", StringComparison.Ordinal);
        return at < 0 ? "" : stderr[at..];
    }

    private static void AssertNamesTheEngineAndWhatToDo(string error, NamespacedEngine engine)
    {
        Assert.Contains($"cannot reach the engine at '{engine.Engine.Endpoint}'", error, StringComparison.Ordinal);
        Assert.Contains("It answered earlier in this run, so it stopped, crashed or is restarting", error, StringComparison.Ordinal);
        // The engine is NetPerf's own second engine, not the local one scripts/setup.sh starts: the hint says which it is.
        Assert.Contains($"Start the engine again: it is a second engine NetPerf started in network namespace '{engine.Namespace}' (its log: '{engine.LogFile}')", error, StringComparison.Ordinal);
        Assert.DoesNotContain("scripts/setup.sh", error, StringComparison.Ordinal);
    }

    /// <summary>The ids of the session's containers now, with those seen before (a container made while the engine went down may be listed only now).</summary>
    private static async Task<IReadOnlyList<string>> SessionContainersAsync(NamespacedEngine engine, string session, IReadOnlyList<string> seen, CancellationToken ct) =>
        [.. seen.Union((await engine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Select(c => c.Id))];

    /// <summary>
    /// A real <c>netperf provision --driver Bridge --pairs 2</c> child on <paramref name="engine"/>, returned once its 4
    /// containers run <c>iperf3</c>, with its session, its containers and its stdout and stderr being read.
    /// </summary>
    private static async Task<(Process Child, string Session, IReadOnlyList<string> Containers, Task<string> Stdout, Task<string> Stderr)> StartWorkloadChildAsync(
        NamespacedEngine engine, int workloadSeconds, CancellationToken ct)
    {
        const int pairs = 2;
        var child = CliChild.Start(new Dictionary<string, string?> { [TestcontainersEngine.DockerHostVariable] = engine.Engine.Endpoint },
            "provision", "--driver", "Bridge", "--pairs", pairs.ToString(CultureInfo.InvariantCulture), "--workload-seconds", workloadSeconds.ToString(CultureInfo.InvariantCulture));
        var stderr = child.StandardError.ReadToEndAsync(ct);
        var session = await CliChild.ReadSessionAsync(child, ct, stderr);
        await CliChild.WaitForLineAsync(child, "workload: started", ct, stderr);
        var stdout = child.StandardOutput.ReadToEndAsync(ct);
        IReadOnlyList<string> containers = [.. (await engine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct)).Select(c => c.Id)];
        Assert.Equal(2 * pairs, containers.Count);
        await ContainerProcesses.WaitForAsync(containers, "iperf3", 2 * pairs, ct);
        return (child, session, containers, stdout, stderr);
    }

    /// <summary>Sweeps as the next run does and asserts (after recording it in the ledger) that nothing of the session is left.</summary>
    private static async Task AssertTheSweepLeavesNothingAsync(NamespacedEngine engine, string session, IReadOnlyList<string> containers, string fault, CancellationToken ct)
    {
        var output = TestContext.Current.TestOutputHelper;
        var left = await LeftOfSessionAsync(engine.Engine, session, containers);
        output?.WriteLine($"left by the run: {(left.Count == 0 ? "nothing" : string.Join(", ", left))}");
        var removed = await LeftoverSweeper.SweepAsync(engine.Engine, ct);
        output?.WriteLine($"swept: {(removed.Count == 0 ? "nothing" : string.Join(", ", removed))}");
        var leftAfterSweep = await LeftOfSessionAsync(engine.Engine, session, containers);
        ReliabilityLedger.Faults("1. Faults", fault, 1, leftAfterSweep.Count);
        Assert.Empty(leftAfterSweep);
    }

    /// <summary>containerd-shims serving the containerd under <paramref name="execRoot"/> (their command line names its socket there).</summary>
    private static IReadOnlyList<string> ShimsOf(string execRoot)
    {
        var found = new List<string>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out int pid)) continue;
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(dir, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("containerd-shim", StringComparison.Ordinal) && cmdline.Contains(execRoot, StringComparison.Ordinal))
                    found.Add($"containerd-shim {pid}");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // The process ended while it was read.
            }
        }
        return found;
    }

    /// <summary>NetPerf's second engine in its own namespace, with the tools image; skips with the reason where none can be started.</summary>
    private async Task<NamespacedEngine> StartSecondEngineAsync(CancellationToken ct)
    {
        await SkipUnlessSecondEngineAsync(ct);
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
