using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds.Cluster;

/// <summary>
/// A second Docker engine on this machine: a <c>dockerd</c> in a network namespace of its own (own data root, exec root,
/// pid file, socket and containerd), reached from the root namespace over a veth pair NetPerf creates, and joined to the
/// main engine's swarm as a worker. All its traffic stays between NetPerf's own namespaces on this machine.
/// </summary>
/// <remarks>
/// <para>
/// Addresses: the main engine's swarm advertises <see cref="ManagerAddress"/> (a dummy interface <see cref="ManagerLink"/>
/// that scripts/setup.sh creates); each second engine gets 10.214.K.2/32 in its namespace, K from a file lock under
/// /run/netperf/engine-links, and host routes over the veth both ways. Nothing is forwarded: the swarm's control traffic
/// and VXLAN go between the root namespace and the engine's namespace, so the main engine's FORWARD policy does not
/// matter.
/// </para>
/// <para>
/// Everything it makes is written to /run/netperf/engines/SESSION/engine.json with the owner process, so
/// <see cref="SweepDeadAsync"/> in a later run removes the engine of a run that was killed (SIGKILL): its containers,
/// its swarm node, the dockerd and containerd processes (checked by pid AND start time), the namespace, the veths and
/// the data root.
/// </para>
/// <para>
/// Written by hand: no library starts an engine. <c>ip netns exec</c> cannot be used (it remounts /sys and dockerd then
/// finds no cgroups); <c>nsenter --net</c> enters only the network namespace.
/// </para>
/// </remarks>
internal sealed class NamespacedEngine : IAsyncDisposable
{
    /// <summary>The address the main engine's swarm advertises (scripts/setup.sh puts it on <see cref="ManagerLink"/>).</summary>
    public const string ManagerAddress = "10.214.0.1";

    /// <summary>The dummy interface holding <see cref="ManagerAddress"/>.</summary>
    public const string ManagerLink = "npswarm0";

    /// <summary>Where the state of running second engines is kept.</summary>
    public static string StateRoot => Path.Combine(Reaper.StateRoot, "engines");

    /// <summary>Where their data roots are (image layers: disk, not tmpfs).</summary>
    public const string DataRootBase = "/var/lib/netperf/engines";

    private static readonly string SlotRoot = Path.Combine(Reaper.StateRoot, "engine-links");
    private State _state;
    private int _disposed;

    private NamespacedEngine(State state, SwarmApi api)
    {
        _state = state;
        Api = api;
        Engine = Logging.NetPerfLog.Wrap(new TestcontainersEngine("unix://" + state.Socket));
    }

    /// <summary>The engine, for containers placed on this node.</summary>
    public IContainerEngine Engine { get; }

    /// <summary>The engine's swarm and image calls.</summary>
    public SwarmApi Api { get; }

    /// <summary>The engine's address in its namespace (its swarm advertise and VXLAN address).</summary>
    public string Address => _state.Address;

    /// <summary>The namespace name (<c>ip netns</c>).</summary>
    public string Namespace => _state.Namespace;

    /// <summary>The root-namespace end of the veth pair.</summary>
    public string RootLink => _state.RootLink;

    /// <summary>
    /// The engine's TLS endpoint, <c>tcp://ADDRESS:2376</c>, when it was started with <c>tlsListener</c>; otherwise
    /// <see langword="null"/>. The engine requires client certificates (<c>--tlsverify</c>).
    /// </summary>
    public string? TlsEndpoint => _state.TlsDir is null ? null : $"tcp://{_state.Address}:{TlsPort}";

    /// <summary>The folder with a client's ca.pem, cert.pem and key.pem for <see cref="TlsEndpoint"/> (under the engine's state folder), or <see langword="null"/>.</summary>
    public string? ClientCertPath => _state.TlsDir is null ? null : Path.Combine(_state.TlsDir, EngineCertificates.ClientFolder);

    /// <summary>The engine's exec root (its overlay networks' namespaces are under <c>netns/</c>).</summary>
    public string ExecRoot => _state.ExecRoot;

    /// <summary>The engine's data root (its network store is <c>network/files/local-kv.db</c> under it).</summary>
    public string DataRoot => _state.DataRoot;

    /// <summary>The engine's log (dockerd's stdout and stderr, at level warn).</summary>
    public string LogFile => _state.Log;

    /// <summary>Whether dockerd runs with <c>--live-restore</c> (its containers survive its stop and restart); such an engine is not in the swarm.</summary>
    public bool LiveRestore => _state.LiveRestore;

    /// <summary>The port of <see cref="TlsEndpoint"/>: Docker's TLS port.</summary>
    public const int TlsPort = 2376;

    /// <summary>How long it took to start, join and receive the images.</summary>
    public TimeSpan StartTime { get; private set; }

    /// <summary>
    /// Why a second engine cannot be started here, or <see langword="null"/> when it can. Cheap and without side
    /// effects: root, dockerd and nsenter installed, a local main engine that is a swarm manager advertising
    /// <see cref="ManagerAddress"/>.
    /// </summary>
    public static async Task<string?> UnavailableReasonAsync(string mainEndpoint, CancellationToken ct)
    {
        if (!OperatingSystem.IsLinux() || !Environment.IsPrivilegedProcess) return "a second engine on this machine needs Linux and root (network namespaces, veths, dockerd)";
        if (!mainEndpoint.StartsWith("unix://", StringComparison.Ordinal)) return $"the main engine '{mainEndpoint}' is not on this machine; point NETPERF_SECOND_NODE at a second engine of its swarm instead";
        foreach (var tool in new[] { "dockerd", "nsenter", "ip" })
            if (!OnPath(tool)) return $"'{tool}' is not installed; run scripts/setup.sh";
        using var api = new SwarmApi(mainEndpoint, TimeSpan.FromSeconds(15));
        try
        {
            var state = await api.StateAsync(ct).ConfigureAwait(false);
            if (!string.Equals(state.State, "active", StringComparison.OrdinalIgnoreCase) || !state.Manager)
                return "the main engine is not a swarm manager; run scripts/setup.sh (it initialises the swarm)";
            if (state.NodeAddress != ManagerAddress)
                return $"the main engine's swarm advertises {state.NodeAddress}, which a second engine in its own namespace cannot reach; run scripts/setup.sh (it re-initialises NetPerf's single-node swarm on {ManagerAddress}, interface {ManagerLink})";
        }
        catch (Exception e) when (e is EngineException or TimeoutException)
        {
            return $"the main engine did not answer: {e.Message}";
        }
        var link = await HostCommand.RunAsync("ip", ["-o", "-4", "addr", "show", "dev", ManagerLink], TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        if (!link.Succeeded || !link.Stdout.Contains(ManagerAddress + "/", StringComparison.Ordinal))
            return $"interface {ManagerLink} with {ManagerAddress} is missing; run scripts/setup.sh";
        return null;
    }

    /// <summary>
    /// For an endpoint that is the socket of a second engine NetPerf starts (<c>unix:///run/netperf/engines/ID/docker.sock</c>),
    /// what it is: "a second engine NetPerf started in network namespace 'npIDns' (its log: '...')"; otherwise
    /// <see langword="null"/>. For messages about an engine that cannot be reached, whose remedy is not scripts/setup.sh.
    /// </summary>
    internal static string? Describe(string endpoint)
    {
        const string scheme = "unix://";
        if (!endpoint.StartsWith(scheme, StringComparison.Ordinal)) return null;
        var socket = endpoint[scheme.Length..];
        var dir = Path.GetDirectoryName(socket);
        if (Path.GetFileName(socket) != "docker.sock" || dir is null || Path.GetDirectoryName(dir) != StateRoot) return null;
        var session = Path.GetFileName(dir);
        return $"a second engine NetPerf started in network namespace 'np{session}ns' (its log: '{Path.Combine(dir, "dockerd.log")}')";
    }

    /// <summary>
    /// Starts the engine, joins it to the main engine's swarm (not with <paramref name="liveRestore"/>) and loads
    /// <paramref name="images"/> into it.
    /// </summary>
    /// <param name="main">The main engine (a swarm manager on this machine).</param>
    /// <param name="images">Images to copy from the main engine.</param>
    /// <param name="progress">Receives a line per step.</param>
    /// <param name="ct">Cancels the start.</param>
    /// <param name="tlsListener">
    /// Also listen on <see cref="TlsEndpoint"/> with <c>--tlsverify</c>, with a CA, server and client certificate made for
    /// it under the state folder (<see cref="ClientCertPath"/>): a stand-in for a remote host reached over TLS.
    /// </param>
    /// <param name="liveRestore">
    /// Start dockerd with <c>--live-restore</c> (off by default, as Docker's): its containers run on while it is stopped or
    /// restarting. Docker refuses live-restore in swarm mode, so such an engine does not join the swarm (placement
    /// AcrossNodes cannot use it); for tests of a run whose engine restarts under it.
    /// </param>
    /// <exception cref="InvalidOperationException">A step failed; everything made so far is removed first.</exception>
    public static async Task<NamespacedEngine> StartAsync(IContainerEngine main, IReadOnlyList<string> images, Action<string>? progress, CancellationToken ct, bool tlsListener = false, bool liveRestore = false)
    {
        var watch = Stopwatch.StartNew();
        var sid = Reaper.SessionId;
        var slot = ReserveSlot(sid);
        var dir = Path.Combine(StateRoot, sid);
        var state = new State(
            Session: sid,
            Owner: ProcessIdentity.Current,
            Slot: slot,
            Address: string.Create(CultureInfo.InvariantCulture, $"10.214.{slot}.2"),
            Namespace: $"np{sid}ns",
            RootLink: $"np{sid}e0",
            PeerLink: $"np{sid}e1",
            DataRoot: Path.Combine(DataRootBase, sid),
            ExecRoot: Path.Combine(dir, "exec"),
            Socket: Path.Combine(dir, "docker.sock"),
            PidFile: Path.Combine(dir, "docker.pid"),
            Log: Path.Combine(dir, "dockerd.log"),
            TlsDir: tlsListener ? Path.Combine(dir, "tls") : null,
            LiveRestore: liveRestore);
        Directory.CreateDirectory(dir);
        Save(dir, state);
        using var mainApi = new SwarmApi(main);
        var api = new SwarmApi("unix://" + state.Socket);
        try
        {
            progress?.Invoke($"second engine: namespace {state.Namespace}, veth {state.RootLink}, address {state.Address}");
            await RunAsync(ct, "ip", "netns", "add", state.Namespace).ConfigureAwait(false);
            await RunAsync(ct, "ip", "link", "add", state.RootLink, "type", "veth", "peer", "name", state.PeerLink).ConfigureAwait(false);
            await RunAsync(ct, "ip", "link", "set", state.PeerLink, "netns", state.Namespace).ConfigureAwait(false);
            await RunAsync(ct, "ip", "link", "set", state.RootLink, "up").ConfigureAwait(false);
            await RunAsync(ct, "ip", "route", "add", state.Address + "/32", "dev", state.RootLink, "src", ManagerAddress).ConfigureAwait(false);
            var ns = NamespacePath(state.Namespace);
            await RunAsync(ct, "nsenter", ns, "ip", "link", "set", "lo", "up").ConfigureAwait(false);
            await RunAsync(ct, "nsenter", ns, "ip", "addr", "add", state.Address + "/32", "dev", state.PeerLink).ConfigureAwait(false);
            await RunAsync(ct, "nsenter", ns, "ip", "link", "set", state.PeerLink, "up").ConfigureAwait(false);
            await RunAsync(ct, "nsenter", ns, "ip", "route", "add", ManagerAddress + "/32", "dev", state.PeerLink).ConfigureAwait(false);

            if (state.TlsDir is { } tlsDir) EngineCertificates.Write(tlsDir, System.Net.IPAddress.Parse(state.Address));
            progress?.Invoke("second engine: starting dockerd");
            state = state with { Dockerd = StartDockerd(state) };
            Save(dir, state);
            var deadline = Stopwatch.StartNew();
            while (!await api.PingAsync(ct).ConfigureAwait(false))
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(60) || !ProcessIdentity.IsAlive(state.Dockerd!))
                    throw new InvalidOperationException($"The second engine did not come up within {deadline.Elapsed.TotalSeconds:0} s; its log is {state.Log}:\n{Tail(state.Log)}");
                await Task.Delay(250, ct).ConfigureAwait(false);
            }

            foreach (var image in images.Distinct(StringComparer.Ordinal))
            {
                if (await api.HasImageAsync(image, ct).ConfigureAwait(false)) continue;
                progress?.Invoke($"second engine: loading image {image}");
                await mainApi.CopyImageAsync(image, api, ct).ConfigureAwait(false);
            }

            if (state.LiveRestore) return new NamespacedEngine(state, api) { StartTime = watch.Elapsed };
            progress?.Invoke($"second engine: joining the swarm of {ManagerAddress}");
            var token = await mainApi.WorkerTokenAsync(ct).ConfigureAwait(false);
            await api.JoinAsync(ManagerAddress + ":2377", state.Address, token, ct).ConfigureAwait(false);
            var joined = await api.StateAsync(ct).ConfigureAwait(false);
            state = state with { NodeId = joined.NodeId };
            Save(dir, state);
            return new NamespacedEngine(state, api) { StartTime = watch.Elapsed };
        }
        catch
        {
            await StopAsync(state, main.Endpoint, api, progress: null).ConfigureAwait(false);
            api.Dispose();
            throw;
        }
    }

    /// <summary>Images a testbed on this node needs that it does not have yet are copied from the main engine.</summary>
    public async Task EnsureImagesAsync(IContainerEngine main, IEnumerable<string> images, CancellationToken ct)
    {
        using var mainApi = new SwarmApi(main);
        foreach (var image in images.Distinct(StringComparer.Ordinal))
            if (!await Api.HasImageAsync(image, ct).ConfigureAwait(false))
                await mainApi.CopyImageAsync(image, Api, ct).ConfigureAwait(false);
    }

    /// <summary>
    /// Restarts the engine's dockerd the way a service manager does: SIGTERM (or SIGKILL when <paramref name="crash"/>, as
    /// when it crashes), wait until it is gone, start it again with the same arguments and wait until it answers. For tests
    /// of a run whose engine goes away under it; returns how long the engine did not answer.
    /// </summary>
    /// <param name="crash">SIGKILL instead of SIGTERM.</param>
    /// <param name="ct">Cancels the restart.</param>
    /// <param name="whileDown">Runs after dockerd and its containerd are gone and before dockerd starts again (tests that change what the engine finds when it starts).</param>
    /// <exception cref="InvalidOperationException">dockerd did not end or did not come back within 60 s each.</exception>
    internal async Task<TimeSpan> RestartAsync(bool crash, CancellationToken ct, Func<Task>? whileDown = null)
    {
        var watch = Stopwatch.StartNew();
        await StopDockerdAsync(crash, ct).ConfigureAwait(false);
        if (whileDown is not null) await whileDown().ConfigureAwait(false);
        await StartDockerdAsync(ct).ConfigureAwait(false);
        return watch.Elapsed;
    }

    /// <summary>
    /// Stops the engine's dockerd and leaves it stopped: SIGTERM (or SIGKILL when <paramref name="crash"/>), then waits until
    /// it and its containerd are gone. For tests of an engine that does not come back; <see cref="StartDockerdAsync"/> starts
    /// it again. Returns how long the stop took.
    /// </summary>
    /// <exception cref="InvalidOperationException">dockerd did not end within 60 s, or its containerd within 90 s.</exception>
    internal async Task<TimeSpan> StopDockerdAsync(bool crash, CancellationToken ct)
    {
        var watch = Stopwatch.StartNew();
        var old = _state.Dockerd ?? throw new InvalidOperationException($"The second engine '{Namespace}' has no dockerd to stop.");
        // Read before the signal: a containerd that died with dockerd has no command line left to recognise it by.
        var containerd = ContainerdOf(_state);
        await HostCommand.RunCheckedAsync("kill", [crash ? "-KILL" : "-TERM", old[..old.IndexOf(':')]], ct, TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        // Without live-restore, a dockerd stopping cleanly stops every container first (10 s grace each, in parallel); with
        // it, it leaves them running under their shims and ends within about 2 s (seen here).
        while (ProcessIdentity.IsAlive(old))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(60))
                throw new InvalidOperationException($"dockerd of the second engine '{Namespace}' ({old}) did not end within 60 s of SIG{(crash ? "KILL" : "TERM")}; its log is {_state.Log}.");
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
        // dockerd's containerd dies with it (dockerd starts it with a parent-death signal, also with live-restore: the next
        // containerd finds the running containers' shims again); until it is reaped the next dockerd takes it for alive,
        // connects to its dead socket and gives up ("timeout waiting for containerd to start", seen after SIGKILL here).
        if (containerd is not null)
        {
            while (ProcessIdentity.IsAlive(containerd))
            {
                if (watch.Elapsed > TimeSpan.FromSeconds(90))
                    throw new InvalidOperationException($"containerd of the second engine '{Namespace}' ({containerd}) did not end within 90 s of dockerd's SIG{(crash ? "KILL" : "TERM")}.");
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
        return watch.Elapsed;
    }

    /// <summary>Starts the engine's dockerd again, after <see cref="StopDockerdAsync"/>, with the same arguments; returns once it answers.</summary>
    /// <exception cref="InvalidOperationException">It did not answer within 60 s, or exited; the message has the tail of its log.</exception>
    internal async Task<TimeSpan> StartDockerdAsync(CancellationToken ct)
    {
        // A pid file of a dead dockerd is taken over by the next one; removed anyway, so a recycled pid cannot stop it.
        try { File.Delete(_state.PidFile); } catch (IOException) { }
        _state = _state with { Dockerd = StartDockerd(_state) };
        Save(Path.Combine(StateRoot, _state.Session), _state);
        var up = Stopwatch.StartNew();
        while (!await Api.PingAsync(ct).ConfigureAwait(false))
        {
            if (up.Elapsed > TimeSpan.FromSeconds(60) || !ProcessIdentity.IsAlive(_state.Dockerd!))
                throw new InvalidOperationException($"The second engine '{Namespace}' did not come back within {up.Elapsed.TotalSeconds:0} s of its restart; its log is {_state.Log}:\n{Tail(_state.Log)}");
            await Task.Delay(100, ct).ConfigureAwait(false);
        }
        return up.Elapsed;
    }

    /// <summary>Stops the engine and removes everything it made; safe to call twice.</summary>
    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1) return;
        Engine.Dispose();
        EndedAtDisposal = await StopAsync(_state, TestcontainersEngine.DefaultEndpoint, Api, progress: null).ConfigureAwait(false);
    }

    /// <summary>
    /// The processes disposal had to end because the engine's dockerd was dead and its containers ran on under their
    /// containerd-shims, one line each (<c>container 0123456789ab (pid N)</c>, <c>containerd-shim of 0123456789ab (pid N)</c>);
    /// also printed as a <c>[netperf]</c> line on standard error. Empty before disposal and when dockerd removed them itself.
    /// </summary>
    internal IReadOnlyList<string> EndedAtDisposal { get; private set; } = [];

    /// <summary>
    /// Removes the second engines of runs whose owner process is gone (killed); returns one line per engine removed, and
    /// one per process it had to end because the engine's dockerd was dead too (as <see cref="EndedAtDisposal"/>).
    /// </summary>
    public static async Task<IReadOnlyList<string>> SweepDeadAsync(string mainEndpoint, CancellationToken ct)
    {
        var removed = new List<string>();
        if (Directory.Exists(StateRoot))
        {
            foreach (var dir in Directory.GetDirectories(StateRoot))
            {
                var state = Load(dir);
                if (state is null || state.Session == Reaper.SessionId || ProcessIdentity.IsAlive(state.Owner)) continue;
                using var api = new SwarmApi("unix://" + state.Socket, TimeSpan.FromSeconds(20));
                var ended = await StopAsync(state, mainEndpoint, api, progress: null).ConfigureAwait(false);
                removed.Add($"second engine '{state.Namespace}'");
                removed.AddRange(ended.Select(e => $"{e} of second engine '{state.Namespace}'"));
            }
        }

        // Namespaces of NetPerf sessions that are gone and have no state (e.g. the state directory was removed by hand).
        var list = await HostCommand.RunAsync("ip", ["netns", "list"], TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
        foreach (var line in list.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries))
        {
            var name = line.Split(' ')[0];
            if (name.Length != 9 || !name.StartsWith("np", StringComparison.Ordinal) || !name.EndsWith("ns", StringComparison.Ordinal)) continue;
            var session = name[2..7];
            if (session == Reaper.SessionId || Directory.Exists(Path.Combine(StateRoot, session))) continue;
            if (Directory.Exists(Path.Combine(Reaper.StateRoot, "sessions", session)) && !LeftoverSweeper.DeadSessions().Contains(session)) continue;
            await HostCommand.RunAsync("ip", ["netns", "delete", name], TimeSpan.FromSeconds(10), ct).ConfigureAwait(false);
            removed.Add($"namespace '{name}'");
        }
        ReleaseDeadSlots();
        return removed;
    }

    /// <summary>Stops the engine and removes what it made; returns the processes it had to end under a dead dockerd (see <see cref="EndedAtDisposal"/>).</summary>
    private static async Task<IReadOnlyList<string>> StopAsync(State state, string mainEndpoint, SwarmApi api, Action<string>? progress)
    {
        using var bound = new CancellationTokenSource(TimeSpan.FromSeconds(90));
        var ct = bound.Token;
        var problems = new List<string>();
        async Task Step(string what, Func<Task> step)
        {
            try { await step().ConfigureAwait(false); }
            catch (Exception e) when (e is not OutOfMemoryException) { problems.Add($"{what}: {e.Message}"); }
        }

        var alive = state.Dockerd is { } identity && ProcessIdentity.IsAlive(identity);
        if (alive && await api.PingAsync(ct).ConfigureAwait(false))
        {
            await Step("containers", async () =>
            {
                foreach (var id in await api.ContainerIdsAsync(ct).ConfigureAwait(false)) await api.RemoveContainerAsync(id, ct).ConfigureAwait(false);
            }).ConfigureAwait(false);
            await Step("swarm leave", () => api.LeaveAsync(ct)).ConfigureAwait(false);
        }
        if (state.NodeId is { Length: > 0 } node)
        {
            using var main = new SwarmApi(mainEndpoint, TimeSpan.FromSeconds(20));
            await Step($"swarm node {node}", () => main.RemoveNodeAsync(node, ct)).ConfigureAwait(false);
        }
        if (alive)
        {
            await Step("dockerd", () => EndAsync(state.Dockerd!, TimeSpan.FromSeconds(30))).ConfigureAwait(false);
        }
        // The containerd that dockerd started ends with it; one left by a dockerd that was killed is ended by its pid file.
        if (ContainerdOf(state) is { } cid)
            await Step("containerd", () => EndAsync(cid, TimeSpan.FromSeconds(15))).ConfigureAwait(false);
        // A dockerd that died (killed, crashed) could not stop its containers: they run on under their containerd-shims,
        // which no engine call reaches any more. They are found by this engine's own task folders, not by name.
        var ended = new List<string>();
        await Step("containers left under their shims", () => EndOrphanedContainersAsync(state, ended)).ConfigureAwait(false);
        if (ended.Count > 0)
            await Console.Error.WriteLineAsync($"[netperf] the second engine '{state.Namespace}' had no dockerd running, so its containers ran on under their containerd-shims; ended {string.Join(", ", ended)}.").ConfigureAwait(false);

        await Step("unmount", () => UnmountUnderAsync([state.ExecRoot, state.DataRoot])).ConfigureAwait(false);
        await Step($"veth {state.RootLink}", () => LinkTool.DeleteAsync(state.RootLink)).ConfigureAwait(false);
        await Step($"namespace {state.Namespace}", async () =>
        {
            var r = await HostCommand.RunAsync("ip", ["netns", "delete", state.Namespace], TimeSpan.FromSeconds(15)).ConfigureAwait(false);
            if (!r.Succeeded && !r.Stderr.Contains("No such file", StringComparison.Ordinal)) throw new InvalidOperationException(r.Stderr.Trim());
        }).ConfigureAwait(false);
        await Step($"data root {state.DataRoot}", () => { DeleteTree(state.DataRoot); return Task.CompletedTask; }).ConfigureAwait(false);
        if (problems.Count > 0)
        {
            // Keep the state so the next run tries again.
            await Console.Error.WriteLineAsync($"[netperf] the second engine '{state.Namespace}' was not removed completely (the next run retries):\n- {string.Join("\n- ", problems)}").ConfigureAwait(false);
            return ended;
        }
        DeleteTree(Path.Combine(StateRoot, state.Session));
        try { File.Delete(Path.Combine(SlotRoot, state.Slot.ToString(CultureInfo.InvariantCulture))); }
        catch (IOException) { }
        progress?.Invoke($"second engine '{state.Namespace}' removed");
        return ended;
    }

    private static string StartDockerd(State state)
    {
        // setsid: a Ctrl-C to the test run's process group must not stop the engine before teardown removed its containers.
        // Arguments after the seventh go to dockerd as they are (live-restore, the TLS listener's).
        var script = "ns=$1 data=$2 exec_root=$3 pid=$4 sock=$5 session=$6 log=$7; shift 7; "
            + "exec setsid nsenter \"--net=$ns\" dockerd --data-root \"$data\" --exec-root \"$exec_root\" --pidfile \"$pid\" -H \"unix://$sock\" "
            + "--iptables=false --ip-masq=false --bridge=none --label \"netperf.session=$session\" --log-level warn \"$@\" </dev/null >>\"$log\" 2>&1";
        var psi = new ProcessStartInfo("sh") { UseShellExecute = false };
        foreach (var a in new[] { "-c", script, "sh", NamespaceFile(state.Namespace), state.DataRoot, state.ExecRoot, state.PidFile, state.Socket, state.Session, state.Log })
            psi.ArgumentList.Add(a);
        if (state.LiveRestore) psi.ArgumentList.Add("--live-restore");
        if (state.TlsDir is { } tls)
        {
            var server = Path.Combine(tls, EngineCertificates.ServerFolder);
            foreach (var a in new[] { "-H", $"tcp://{state.Address}:{TlsPort.ToString(CultureInfo.InvariantCulture)}", "--tlsverify",
                "--tlscacert", Path.Combine(server, EngineTls.CaFileName), "--tlscert", Path.Combine(server, EngineTls.CertFileName), "--tlskey", Path.Combine(server, EngineTls.KeyFileName) })
                psi.ArgumentList.Add(a);
        }
        Directory.CreateDirectory(state.DataRoot);
        Directory.CreateDirectory(state.ExecRoot);
        using var process = Process.Start(psi) ?? throw new InvalidOperationException("'sh' could not be started.");
        // exec chain: sh -> setsid (forks when it is a group leader? not here: sh is not one) -> nsenter -> dockerd, one pid.
        var pid = process.Id;
        for (var i = 0; i < 40; i++)
        {
            if (CommandLineOf(pid).StartsWith("dockerd", StringComparison.Ordinal)) break;
            Thread.Sleep(50);
        }
        return ProcessIdentity.Of(pid) ?? throw new InvalidOperationException($"dockerd exited at once; its log is {state.Log}:\n{Tail(state.Log)}");
    }

    /// <summary>The engine's containerd (from its pid file, checked by its command line), or <see langword="null"/> when none runs.</summary>
    private static string? ContainerdOf(State state)
    {
        var pidFile = Path.Combine(state.ExecRoot, "containerd", "containerd.pid");
        try
        {
            return int.TryParse(File.ReadAllText(pidFile).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
                && CommandLineOf(pid).Contains(state.ExecRoot, StringComparison.Ordinal) ? ProcessIdentity.Of(pid) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Where the engine's containerd keeps a folder per running container (its bundle and init.pid), named by its id.</summary>
    private static string TaskRoot(string execRoot) => Path.Combine(execRoot, "containerd", "daemon", "io.containerd.runtime.v2.task", "moby");

    /// <summary>
    /// Ends the containers this engine's containerd left running when it died with dockerd: for each task folder under
    /// <see cref="TaskRoot"/>, its init process (checked to sit in the container's cgroup; its pid namespace, and with it
    /// every process of the container, goes when it dies) and then its shim (the process serving that task id for this
    /// engine's containerd socket).
    /// Adds one line per process ended to <paramref name="ended"/> (as it goes: a kill that fails leaves the lines so far).
    /// </summary>
    private static async Task EndOrphanedContainersAsync(State state, List<string> ended)
    {
        var root = TaskRoot(state.ExecRoot);
        var address = Path.Combine(state.ExecRoot, "containerd", "containerd.sock");
        if (!Directory.Exists(root)) return;
        foreach (var task in Directory.GetDirectories(root))
        {
            var id = Path.GetFileName(task);
            if (PidIn(Path.Combine(task, "init.pid")) is { } init && CgroupOf(init).Contains(id, StringComparison.Ordinal) && ProcessIdentity.Of(init) is { } initIdentity)
            {
                await KillAsync(initIdentity).ConfigureAwait(false);
                ended.Add($"container {id[..Math.Min(12, id.Length)]} (pid {init.ToString(CultureInfo.InvariantCulture)})");
            }
            // The shim writes no pid file (containerd-shim-runc-v2 of Docker 20.10): it is the process serving this task id
            // for this engine's containerd socket, which only this engine's shims name.
            foreach (var shim in ShimsOf(address, id))
            {
                await KillAsync(shim).ConfigureAwait(false);
                ended.Add($"containerd-shim of {id[..Math.Min(12, id.Length)]} (pid {shim[..shim.IndexOf(':')]})");
            }
        }

        static IEnumerable<string> ShimsOf(string address, string id)
        {
            foreach (var dir in Directory.EnumerateDirectories("/proc"))
            {
                if (!int.TryParse(Path.GetFileName(dir), NumberStyles.None, CultureInfo.InvariantCulture, out var pid)) continue;
                var args = CommandLineOf(pid).Split(' ');
                if (Array.IndexOf(args, "-address") is var a && a >= 0 && a + 1 < args.Length && args[a + 1] == address
                    && Array.IndexOf(args, "-id") is var i && i >= 0 && i + 1 < args.Length && args[i + 1] == id
                    && ProcessIdentity.Of(pid) is { } identity)
                    yield return identity;
            }
        }

        static int? PidIn(string file)
        {
            try { return int.TryParse(File.ReadAllText(file).Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) ? pid : null; }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        }

        static string CgroupOf(int pid)
        {
            try { return File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/cgroup"); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return ""; }
        }
    }

    /// <summary>SIGKILL, then waits (5 s at most) until the process is gone or only a zombie waiting for its parent.</summary>
    private static async Task KillAsync(string identity)
    {
        var pid = identity[..identity.IndexOf(':')];
        await HostCommand.RunAsync("kill", ["-KILL", pid], TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        while (ProcessIdentity.IsAlive(identity) && !IsZombie(pid))
        {
            if (watch.Elapsed > TimeSpan.FromSeconds(5))
                throw new InvalidOperationException($"process {pid} did not end within 5 s of SIGKILL; end it by hand ('kill -9 {pid}').");
            await Task.Delay(50).ConfigureAwait(false);
        }

        static bool IsZombie(string pid)
        {
            try
            {
                var stat = File.ReadAllText($"/proc/{pid}/stat");
                return stat[(stat.LastIndexOf(')') + 2)..].StartsWith('Z');
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return true; }
        }
    }

    private static async Task EndAsync(string identity, TimeSpan grace)
    {
        var pid = identity[..identity.IndexOf(':')];
        if (!ProcessIdentity.IsAlive(identity)) return;
        // SIGTERM first: dockerd and containerd shut down cleanly on it (unmounting layers, stopping shims).
        await HostCommand.RunAsync("kill", ["-TERM", pid], TimeSpan.FromSeconds(5)).ConfigureAwait(false);
        var watch = Stopwatch.StartNew();
        while (ProcessIdentity.IsAlive(identity) && watch.Elapsed < grace) await Task.Delay(200).ConfigureAwait(false);
        if (ProcessIdentity.IsAlive(identity))
        {
            await HostCommand.RunAsync("kill", ["-KILL", pid], TimeSpan.FromSeconds(5)).ConfigureAwait(false);
            await Task.Delay(500).ConfigureAwait(false);
        }
    }

    private static async Task UnmountUnderAsync(IEnumerable<string> roots)
    {
        var mounts = File.ReadAllLines("/proc/self/mountinfo").Select(l => l.Split(' ')[4]).ToList();
        foreach (var root in roots)
            foreach (var m in mounts.Where(m => m == root || m.StartsWith(root + "/", StringComparison.Ordinal)).OrderByDescending(m => m.Length))
                await HostCommand.RunAsync("umount", ["-l", m], TimeSpan.FromSeconds(10)).ConfigureAwait(false);
    }

    private static int ReserveSlot(string session)
    {
        Directory.CreateDirectory(SlotRoot);
        for (var k = 1; k < 255; k++)
        {
            try
            {
                using var f = new FileStream(Path.Combine(SlotRoot, k.ToString(CultureInfo.InvariantCulture)), FileMode.CreateNew, FileAccess.Write);
                f.Write(System.Text.Encoding.ASCII.GetBytes(session));
                return k;
            }
            catch (IOException) { }
        }
        throw new InvalidOperationException($"No free address for a second engine: 254 are taken under {SlotRoot}.");
    }

    private static void ReleaseDeadSlots()
    {
        if (!Directory.Exists(SlotRoot)) return;
        foreach (var file in Directory.GetFiles(SlotRoot))
        {
            string session;
            try { session = File.ReadAllText(file).Trim(); }
            catch (IOException) { continue; }
            if (session != Reaper.SessionId && !Directory.Exists(Path.Combine(StateRoot, session)))
                try { File.Delete(file); } catch (IOException) { }
        }
    }

    private static string NamespaceFile(string ns) => $"/var/run/netns/{ns}";

    private static string[] NamespacePath(string ns) => [$"--net={NamespaceFile(ns)}"];

    private static Task RunAsync(CancellationToken ct, string file, params string[] args) => RunAsync(ct, file, (IEnumerable<string>)args);

    private static Task RunAsync(CancellationToken ct, string file, string[] first, params string[] rest) => RunAsync(ct, file, first.Concat(rest));

    private static async Task RunAsync(CancellationToken ct, string file, IEnumerable<string> args) =>
        await HostCommand.RunCheckedAsync(file, [.. args], ct, TimeSpan.FromSeconds(20)).ConfigureAwait(false);

    private static string CommandLineOf(int pid)
    {
        try { return File.ReadAllText($"/proc/{pid}/cmdline").Replace('\0', ' '); }
        catch (IOException) { return ""; }
        catch (UnauthorizedAccessException) { return ""; }
    }

    private static bool OnPath(string tool) =>
        (Environment.GetEnvironmentVariable("PATH") ?? "/usr/sbin:/usr/bin:/sbin:/bin").Split(':').Append("/usr/sbin").Append("/sbin")
            .Any(d => File.Exists(Path.Combine(d, tool)));

    private static string Tail(string file)
    {
        try { return string.Join('\n', File.ReadLines(file).TakeLast(15)); }
        catch (IOException) { return "(no log)"; }
    }

    private static void DeleteTree(string dir)
    {
        try { if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true); }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
    }

    private static void Save(string dir, State state) =>
        File.WriteAllText(Path.Combine(dir, "engine.json"), JsonSerializer.Serialize(state));

    private static State? Load(string dir)
    {
        try { return JsonSerializer.Deserialize<State>(File.ReadAllText(Path.Combine(dir, "engine.json"))); }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Everything one second engine made, as kept on disk for the sweeper.</summary>
    internal sealed record State(
        string Session, string Owner, int Slot, string Address, string Namespace, string RootLink, string PeerLink,
        string DataRoot, string ExecRoot, string Socket, string PidFile, string Log, string? Dockerd = null, string? NodeId = null, string? TlsDir = null,
        bool LiveRestore = false);
}
