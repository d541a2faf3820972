using System.Text.RegularExpressions;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds;

/// <summary>
/// Removes what earlier NetPerf runs left behind when they could not clean up (SIGKILL, power loss):
/// containers and networks whose owner label names a dead process, and veths, OVS bridges and state
/// directories of sessions whose owner is gone.
/// </summary>
/// <remarks>
/// Resources of live runs (another NetPerf process on the same machine) are never touched, nor are
/// labelled resources without an owner label (made by hand, not by a NetPerf run).
/// </remarks>
internal static partial class LeftoverSweeper
{
    /// <summary>
    /// How the sweep waits for containers the engine is still creating for a killed run: after a first pass that found
    /// anything of a dead run, it lists containers again every <see cref="Poll"/> until <see cref="Quiet"/> passed
    /// without a new one, for at most <see cref="Limit"/> in all.
    /// </summary>
    internal sealed record Timing(TimeSpan Poll, TimeSpan Quiet, TimeSpan Limit)
    {
        /// <summary>1 s polls, 5 s of quiet, 30 s at most.</summary>
        public static Timing Default { get; } = new(TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(5), TimeSpan.FromSeconds(30));
    }

    /// <summary>
    /// Sweeps; returns one line per removed resource. A run killed while it created containers leaves requests the
    /// engine still carries out after the first listing (seen here: 4 of 20 after a SIGKILL during provisioning, and
    /// once one more after a pass 2 s after the first had found none, while another run loaded the engine). So once
    /// the first pass found anything of a dead run, the sweep goes on listing containers until no new one came for a
    /// while (<see cref="Timing"/>), and sweeps everything once more when late ones came. A machine with nothing of a
    /// dead run pays one pass.
    /// </summary>
    public static Task<IReadOnlyList<string>> SweepAsync(IContainerEngine engine, CancellationToken cancellationToken = default) =>
        SweepAsync(engine, Timing.Default, cancellationToken);

    /// <inheritdoc cref="SweepAsync(IContainerEngine, CancellationToken)"/>
    internal static async Task<IReadOnlyList<string>> SweepAsync(IContainerEngine engine, Timing timing, CancellationToken cancellationToken)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var removed = new List<string>(await SweepOnceAsync(engine, seen, cancellationToken).ConfigureAwait(false));
        if (seen.Count == 0 && removed.Count == 0) return removed;

        // Only containers not met before count as new: one the engine refuses to remove is met again.
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastNew = TimeSpan.Zero;
        bool late = false;
        while (clock.Elapsed - lastNew < timing.Quiet && clock.Elapsed < timing.Limit)
        {
            await Task.Delay(timing.Poll, cancellationToken).ConfigureAwait(false);
            int before = seen.Count;
            removed.AddRange(await SweepContainersAsync(engine, seen, cancellationToken).ConfigureAwait(false));
            if (seen.Count == before) continue;
            lastNew = clock.Elapsed;
            late = true;
        }
        // Late containers may have held networks, links or bridges the first pass could not remove: once more.
        if (late) removed.AddRange(await SweepOnceAsync(engine, seen, cancellationToken).ConfigureAwait(false));
        return removed;
    }

    private static async Task<IReadOnlyList<string>> SweepOnceAsync(IContainerEngine engine, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        var deadSessions = DeadSessions();
        // Second engines first: their containers sit on the dead run's overlay networks, which cannot go before they do.
        removed.AddRange(await Cluster.NamespacedEngine.SweepDeadAsync(engine.Endpoint, cancellationToken).ConfigureAwait(false));

        removed.AddRange(await SweepContainersAsync(engine, seen, cancellationToken).ConfigureAwait(false));
        foreach (var n in await engine.ListNetworksAsync(Reaper.Label, cancellationToken).ConfigureAwait(false))
        {
            if (!n.Labels.TryGetValue(Reaper.OwnerLabel, out var owner) || ProcessIdentity.IsAlive(owner)) continue;
            IReadOnlyList<string> forced = [];
            if (await TryAsync($"network '{n.Name}'", async () => forced = await NetworkRemoval.RemoveAsync(engine, n.Id, n.Name, TimeSpan.Zero, cancellationToken).ConfigureAwait(false)).ConfigureAwait(false))
            {
                removed.Add($"network '{n.Name}'");
                if (forced.Count > 0)
                    Console.Error.WriteLine($"[netperf] network '{n.Name}', left by an earlier run, 'has active endpoints': force-disconnected {string.Join(", ", forced.Select(f => $"'{f}'"))}, then removed it.");
            }
        }

        var bridges = await HostCommand.RunAsync("ovs-vsctl", ["--timeout=5", "list-br"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        if (bridges.Succeeded)
        {
            foreach (var br in bridges.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                if (!IsDeadSessionName(br, deadSessions)) continue;
                await HostCommand.RunAsync("ovs-vsctl", ["--timeout=10", "--if-exists", "del-br", br], TimeSpan.FromSeconds(15), cancellationToken).ConfigureAwait(false);
                removed.Add($"OVS bridge '{br}'");
            }
        }

        var links = await HostCommand.RunAsync("ip", ["-o", "link", "show"], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
        foreach (Match m in LinkName().Matches(links.Stdout))
        {
            var name = m.Groups["name"].Value;
            if (!IsDeadSessionName(name, deadSessions)) continue;
            await HostCommand.RunAsync("ip", ["link", "delete", name], TimeSpan.FromSeconds(10), cancellationToken).ConfigureAwait(false);
            removed.Add($"link '{name}'");
        }

        foreach (var session in deadSessions)
        {
            TryDelete(Path.Combine(Reaper.StateRoot, "sessions", session));
            TryDelete(Path.Combine(Reaper.StateRoot, "testbeds", session));
        }
        SubnetAllocator.ReleaseDead();
        PortLeases.ReleaseDead();
        return removed;
    }

    /// <summary>Removes the containers of dead runs not in <paramref name="seen"/>, adding them to it.</summary>
    private static async Task<IReadOnlyList<string>> SweepContainersAsync(IContainerEngine engine, HashSet<string> seen, CancellationToken cancellationToken)
    {
        var removed = new List<string>();
        foreach (var c in await engine.ListContainersAsync(Reaper.Label, cancellationToken).ConfigureAwait(false))
        {
            if (!c.Labels.TryGetValue(Reaper.OwnerLabel, out var owner) || ProcessIdentity.IsAlive(owner) || !seen.Add(c.Id)) continue;
            if (await TryAsync($"container '{c.Name}'", () => engine.RemoveContainerAsync(c.Id, cancellationToken)).ConfigureAwait(false))
                removed.Add($"container '{c.Name}'");
        }
        return removed;
    }

    /// <summary>
    /// Removes one leftover; a leftover the engine refuses to remove is reported (with what to do) and the sweep and the
    /// run go on: one stuck network of a dead run must not fail every later run.
    /// </summary>
    private static async Task<bool> TryAsync(string what, Func<Task> remove)
    {
        try
        {
            await remove().ConfigureAwait(false);
            return true;
        }
        catch (Exception e) when (e is EngineException or TimeoutException or StaleEndpointsException)
        {
            Console.Error.WriteLine($"[netperf] could not remove {what}, left by an earlier run: {e.Message}");
            if (e is not StaleEndpointsException && e.Message.Contains("active endpoints", StringComparison.Ordinal))
                Console.Error.WriteLine("[netperf] A network that keeps 'active endpoints' with no container attached is a known fault of the Docker engine after many containers were removed at once; only restarting the engine clears it (stop dockerd, then scripts/setup.sh starts it again). Runs go on meanwhile.");
            return false;
        }
    }

    /// <summary>Session ids under /run/netperf/sessions whose owner process is gone.</summary>
    internal static HashSet<string> DeadSessions()
    {
        var dead = new HashSet<string>(StringComparer.Ordinal);
        var root = Path.Combine(Reaper.StateRoot, "sessions");
        if (!Directory.Exists(root)) return dead;
        foreach (var dir in Directory.GetDirectories(root))
        {
            var id = Path.GetFileName(dir);
            if (id == Reaper.SessionId) continue;
            var ownerFile = Path.Combine(dir, "owner");
            var owner = File.Exists(ownerFile) ? File.ReadAllText(ownerFile).Trim() : "";
            if (!ProcessIdentity.IsAlive(owner)) dead.Add(id);
        }
        return dead;
    }

    /// <summary>
    /// True for a NetPerf interface or bridge name (<c>np</c> + 5-hex session) whose session is dead or unknown.
    /// An unknown session (no state directory, e.g. after a reboot) counts as dead.
    /// </summary>
    internal static bool IsDeadSessionName(string name, IReadOnlySet<string> deadSessions)
    {
        var m = ResourceName().Match(name);
        if (!m.Success) return false;
        var session = m.Groups["session"].Value;
        if (session == Reaper.SessionId) return false;
        return deadSessions.Contains(session) || !Directory.Exists(Path.Combine(Reaper.StateRoot, "sessions", session));
    }

    private static void TryDelete(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    [GeneratedRegex(@"^np(?<session>[0-9a-f]{5})[0-9a-z]{2}", RegexOptions.CultureInvariant)]
    private static partial Regex ResourceName();

    [GeneratedRegex(@"^\d+: (?<name>np[0-9a-z]+)[@:]", RegexOptions.Multiline | RegexOptions.CultureInvariant)]
    private static partial Regex LinkName();
}
