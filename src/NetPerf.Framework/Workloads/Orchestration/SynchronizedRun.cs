using System.Globalization;

namespace NetPerf.Workloads.Orchestration;

/// <summary>
/// The common choreography of a client/server workload: start every pair's server, wait until each
/// listens, start every client at the barrier, release them together, collect the outputs, stop the servers.
/// </summary>
/// <remarks>
/// Servers run detached under <c>timeout</c>, so none outlives a crashed run; their pid, stdout,
/// stderr and exit code are files of the run directory. CPU is snapshotted just before the release
/// and just after the last client exits.
/// </remarks>
internal static class SynchronizedRun
{
    /// <summary>Runs <paramref name="spec"/> on every pair of <paramref name="host"/>.</summary>
    /// <param name="host">The testbed.</param>
    /// <param name="barrier">The run directory and barrier; files stay until the caller disposes it.</param>
    /// <param name="spec">What to run.</param>
    /// <param name="cancellationToken">Cancels the run.</param>
    /// <exception cref="WorkloadException">A server did not listen, a client did not reach or pass the barrier, or a client timed out.</exception>
    public static async Task<SynchronizedRunResult> ExecuteAsync(IWorkloadHost host, StartBarrier barrier, SynchronizedRunSpec spec, CancellationToken cancellationToken)
    {
        var pairs = host.Pairs;
        if (pairs.Count == 0)
            throw new WorkloadException($"The testbed has no pairs to run '{spec.Tool}' on.");
        var serverLifetime = spec.ClientTimeout + spec.StartTimeout + TimeSpan.FromSeconds(30);
        var clients = new List<(Node Node, Task<CommandResult> Command)>();
        try
        {
            if (spec.Server is { } server)
            {
                foreach (var pair in pairs)
                    await host.StartDetachedAsync(pair.Server, Shell.Bash(ServerWrapper(pair, barrier, server(pair, barrier), serverLifetime)), cancellationToken).ConfigureAwait(false);
            }
            await Task.WhenAll(pairs.Select(p => WaitListeningAsync(host, barrier, spec, p, cancellationToken))).ConfigureAwait(false);

            foreach (var pair in pairs)
            {
                // The clients write their output to files of the run directory: every write a tool makes on the exec stream
                // wakes this process while the tools run.
                var script = barrier.ClientScript(pair.Index, spec.Client(pair, barrier), outputToFiles: true);
                clients.Add((pair.Client, host.ExecAsync(pair.Client, Shell.Bash(script), spec.ClientTimeout + spec.StartTimeout, cancellationToken)));
            }
            await barrier.ReleaseWhenReadyAsync(clients, spec.StartTimeout, cancellationToken).ConfigureAwait(false);
            var before = await host.SnapshotCpuAsync(cancellationToken).ConfigureAwait(false);

            var results = new CommandResult[pairs.Count];
            for (var i = 0; i < pairs.Count; i++)
                results[i] = await AwaitClientAsync(clients[i], spec).ConfigureAwait(false);
            var after = await host.SnapshotCpuAsync(cancellationToken).ConfigureAwait(false);
            // Read back only now, so the CPU window ends at the last exit and holds no file reading.
            for (var i = 0; i < pairs.Count; i++)
                results[i] = barrier.WithClientOutput(pairs[i].Index, results[i]);

            var runs = new List<PairRun>();
            for (var i = 0; i < pairs.Count; i++)
            {
                var released = StartBarrier.ReleasedAtMicroseconds(results[i], pairs[i].Client, spec.Tool);
                // A failed client leaves its server waiting; its own error says more than the server's silence.
                var exited = spec.ServerExitsAfterClient
                    && await WaitServerExitAsync(barrier, pairs[i], TimeSpan.FromSeconds(results[i].Succeeded ? 15 : 1), cancellationToken).ConfigureAwait(false);
                var output = exited ? barrier.ReadOrEmpty(ServerFile(pairs[i], "out")) : "";
                runs.Add(new PairRun(pairs[i], results[i], released, output, barrier.ReadOrEmpty(ServerFile(pairs[i], "err"))) { ServerExited = exited });
            }
            return new SynchronizedRunResult(runs, CpuUsage.Between(before, after), runs.Min(r => r.ReleasedAtMicroseconds));
        }
        catch
        {
            barrier.Abort();
            throw;
        }
        finally
        {
            await StopServersAsync(host, barrier, pairs).ConfigureAwait(false);
            await Task.WhenAll(clients.Select(c => c.Command.ContinueWith(_ => { }, TaskScheduler.Default))).WaitAsync(TimeSpan.FromSeconds(30), CancellationToken.None).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing);
        }
    }

    /// <summary>Name of a server's file in the run directory (<c>pid</c>, <c>out</c>, <c>err</c>, <c>exit</c>).</summary>
    public static string ServerFile(Pair pair, string kind) => string.Create(CultureInfo.InvariantCulture, $"server.{pair.Index}.{kind}");

    private static string ServerWrapper(Pair pair, StartBarrier barrier, string script, TimeSpan lifetime) => string.Create(CultureInfo.InvariantCulture,
        $"d={Shell.Quote(barrier.DirectoryInContainer)}; " +
        $"timeout {(int)lifetime.TotalSeconds} bash -c {Shell.Quote(script)} > \"$d/{ServerFile(pair, "out")}\" 2> \"$d/{ServerFile(pair, "err")}\" & " +
        $"echo $! > \"$d/{ServerFile(pair, "pid")}\"; wait $!; echo $? > \"$d/{ServerFile(pair, "exit")}.tmp\"; mv \"$d/{ServerFile(pair, "exit")}.tmp\" \"$d/{ServerFile(pair, "exit")}\"");

    /// <summary>
    /// Waits until the pair's server listens on its port. When NetPerf starts the server, the listening socket must be
    /// one of the server container's own processes (<c>ss -p</c> names only processes the container sees): with host
    /// networking a port can be taken by another program after the testbed chose it and before the server binds, and a
    /// bare "something listens" would then release the clients against that program.
    /// </summary>
    private static async Task WaitListeningAsync(IWorkloadHost host, StartBarrier barrier, SynchronizedRunSpec spec, Pair pair, CancellationToken cancellationToken)
    {
        var polls = Math.Max(1, (int)(spec.StartTimeout.TotalSeconds * 20));
        var protocol = spec.ServerListensOnUdp ? "u" : "t";
        var check = spec.Server is null
            ? string.Create(CultureInfo.InvariantCulture,
                $"for i in $(seq 1 {polls}); do ss -Hl{protocol}n \"sport = :{pair.Port}\" | grep -q . && exit 0; sleep 0.05; done; exit 1")
            // Exit 3: the server exited (e.g. it could not bind). Exit 4: for ForeignPolls polls in a row only a socket of
            // no process of this container listened there, so the server cannot bind it.
            : string.Create(CultureInfo.InvariantCulture,
                $"d={Shell.Quote(barrier.DirectoryInContainer)}; f=0; for i in $(seq 1 {polls}); do " +
                $"l=$(ss -Hl{protocol}np \"sport = :{pair.Port}\"); case \"$l\" in *pid=*) exit 0;; esac; " +
                $"[ -e \"$d/{ServerFile(pair, "exit")}\" ] && exit 3; " +
                $"if [ -n \"$l\" ]; then f=$((f+1)); [ $f -ge {ForeignPolls} ] && exit 4; else f=0; fi; sleep 0.05; done; exit 1");
        CommandResult result;
        try
        {
            result = await host.ExecAsync(pair.Server, Shell.Bash(check), spec.StartTimeout + TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new WorkloadException($"'{spec.Tool}' server on '{pair.Server.Name}' was not listening on port {pair.Port} in time.", pair.Server.Name, e);
        }
        if (result.Succeeded)
            return;
        // Some servers (sockperf) print their errors on stdout.
        var said = (barrier.ReadOrEmpty(ServerFile(pair, "err")) + barrier.ReadOrEmpty(ServerFile(pair, "out"))).Trim();
        var stderr = said.Length <= 600 ? said : "..." + said[^600..];
        var within = spec.StartTimeout.TotalSeconds.ToString("0", CultureInfo.InvariantCulture);
        if (spec.Server is null)
            throw new WorkloadException(
                $"Nothing listened on {(spec.ServerListensOnUdp ? "UDP" : "TCP")} port {pair.Port} in the server container '{pair.Server.Name}' within {within} s; '{spec.Tool}' needs a server "
                + $"that its own command starts there, listening on $NETPERF_PORT (see OwnContainer). Check 'docker logs {pair.Server.Name}'"
                + (string.IsNullOrWhiteSpace(result.Stderr) ? "." : $"; the check (bash, seq and ss from iproute2 in that container) said: '{result.Stderr.Trim()}'."), pair.Server.Name);
        if (result.ExitCode == 4 || (result.ExitCode == 3 && said.Contains(AddressInUse, StringComparison.OrdinalIgnoreCase)))
            throw new WorkloadException(PortInUse(spec, pair, result.ExitCode == 4
                ? string.Create(CultureInfo.InvariantCulture, $"a socket of another process listens there and the server did not get it in {ForeignPolls / 20.0:0.#} s")
                : $"the server could not bind it: '{LineWith(said, AddressInUse)}'"), pair.Server.Name);
        var why = result.ExitCode == 3 ? "exited before it listened" : $"did not listen within {within} s";
        throw new WorkloadException($"'{spec.Tool}' server on '{pair.Server.Name}' {why} on port {pair.Port}; it said: '{stderr}'. Is the port already in use?", pair.Server.Name);
    }

    /// <summary>strerror(EADDRINUSE), which iperf3, iperf and sockperf print when they cannot bind.</summary>
    private const string AddressInUse = "Address already in use";

    /// <summary>The first line of <paramref name="text"/> that contains <paramref name="part"/>, trimmed (a tool's JSON or banner around it says nothing more).</summary>
    private static string LineWith(string text, string part) =>
        text.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.Contains(part, StringComparison.OrdinalIgnoreCase)) ?? part;

    /// <summary>Polls (of 50 ms) in which only another process's socket listens on the port before the run gives up on it.</summary>
    private const int ForeignPolls = 40;

    private static string PortInUse(SynchronizedRunSpec spec, Pair pair, string how)
    {
        var port = pair.Port.ToString(CultureInfo.InvariantCulture);
        return $"Port {port} of pair {pair.Index.ToString(CultureInfo.InvariantCulture)} is already in use by another process in the network namespace of the server container '{pair.Server.Name}', "
            + $"so its '{spec.Tool}' server cannot listen there ({how}). The port was free when the testbed chose it; a program took it since "
            + $"(with host networking, any program of the host). Nothing was measured; free the port or run again: 'ss -Hltnup \"sport = :{port}\"' "
            + "(on the host for the Host driver) shows who holds it; a new testbed chooses a new free port block.";
    }

    private static async Task<CommandResult> AwaitClientAsync((Node Node, Task<CommandResult> Command) client, SynchronizedRunSpec spec)
    {
        try
        {
            return await client.Command.ConfigureAwait(false);
        }
        catch (TimeoutException e)
        {
            throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                $"'{spec.Tool}' on '{client.Node.Name}' did not finish within {spec.ClientTimeout.TotalSeconds:0} s; is the server reachable?"), client.Node.Name, e);
        }
        catch (Exception e) when (e is not OperationCanceledException and not WorkloadException)
        {
            throw new WorkloadException($"Running '{spec.Tool}' on '{client.Node.Name}' failed: {e.Message}", client.Node.Name, e);
        }
    }

    private static async Task<bool> WaitServerExitAsync(StartBarrier barrier, Pair pair, TimeSpan grace, CancellationToken cancellationToken)
    {
        var exitFile = barrier.OnHost(ServerFile(pair, "exit"));
        var deadline = DateTime.UtcNow + grace;
        while (!File.Exists(exitFile))
        {
            if (DateTime.UtcNow > deadline)
                return false;
            await Task.Delay(5, cancellationToken).ConfigureAwait(false);
        }
        return true;
    }

    private static async Task StopServersAsync(IWorkloadHost host, StartBarrier barrier, IReadOnlyList<Pair> pairs)
    {
        var stops = pairs
            .Where(p => File.Exists(barrier.OnHost(ServerFile(p, "pid"))) && !File.Exists(barrier.OnHost(ServerFile(p, "exit"))))
            .Select(async p =>
            {
                // TERM to GNU timeout is forwarded to the server's process group (timeout leads its own group).
                // Wait until it is gone, so the next run on this port cannot reach a dying server.
                var script = $"p=$(cat {Shell.Quote(barrier.InContainer(ServerFile(p, "pid")))}); kill $p 2>/dev/null; " +
                    "for i in $(seq 1 50); do kill -0 $p 2>/dev/null || exit 0; sleep 0.1; done; kill -KILL -- -$p 2>/dev/null; true";
                try
                {
                    await host.ExecAsync(p.Server, Shell.Bash(script), TimeSpan.FromSeconds(15), CancellationToken.None).ConfigureAwait(false);
                }
                catch (Exception)
                {
                    // The server dies with its 'timeout' anyway; a failed stop must not hide the run's own error.
                }
            });
        await Task.WhenAll(stops).ConfigureAwait(false);
    }
}
