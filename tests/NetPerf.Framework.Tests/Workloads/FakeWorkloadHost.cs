using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.RegularExpressions;
using NetPerf.Workloads.Orchestration;

namespace NetPerf.Tests.Workloads;

/// <summary>
/// An <see cref="IWorkloadHost"/> that plays the containers' part of the protocol with canned output:
/// clients create ready files, wait for go, report a release time; servers "exit" after their client.
/// </summary>
internal sealed partial class FakeWorkloadHost : IWorkloadHost, IDisposable
{
    private readonly ConcurrentDictionary<int, long> _released = new();
    private readonly ConcurrentDictionary<int, DateTime> _ready = new();
    private readonly ConcurrentDictionary<int, DateTime> _started = new();
    private double _cpu;

    public FakeWorkloadHost(int pairs)
    {
        SharedDirectoryOnHost = Directory.CreateTempSubdirectory("netperf-fake-").FullName;
        Pairs = Enumerable.Range(0, pairs)
            .Select(i => new Pair(i, new Node($"server-{i}", $"sid{i}", $"10.0.0.{2 * i + 2}"), new Node($"client-{i}", $"cid{i}", $"10.0.0.{2 * i + 3}"), 5201 + i))
            .ToList();
    }

    public IReadOnlyList<Pair> Pairs { get; }

    public string SharedDirectoryOnHost { get; }

    public string SharedDirectoryInContainer => "/netperf";

    /// <summary>What a released client prints: stdout, extra stderr, exit code.</summary>
    public Func<Pair, string, (string Stdout, string Stderr, int Exit)> Client { get; init; } = (_, _) => ("", "", 0);

    /// <summary>What a server prints on stdout once its client is done, given the client's release time in microseconds; null for servers that keep running.</summary>
    public Func<Pair, long, string>? ServerAfterClient { get; init; } = (_, _) => "";

    /// <summary>What a command outside the barrier answers (version probes); null for the default answer.</summary>
    public Func<string, CommandResult?> Answer { get; init; } = _ => null;

    /// <summary>Delay before a client reaches the barrier.</summary>
    public Func<Pair, TimeSpan> ArrivalDelay { get; init; } = _ => TimeSpan.Zero;

    /// <summary>When set, a client exits with this result instead of reaching the barrier.</summary>
    public Func<Pair, CommandResult?> FailBeforeBarrier { get; init; } = _ => null;

    /// <summary>When set, a released client's exec throws this (as the testbed's exec does when the OOM killer ended the tool) after its server is done.</summary>
    public Func<Pair, Exception?> ThrowAfterRelease { get; init; } = _ => null;

    public List<string> ClientScripts { get; } = [];

    public List<string> ServerScripts { get; } = [];

    public List<string> OtherCommands { get; } = [];

    public DateTime? GoSeenAt { get; private set; }

    public IReadOnlyDictionary<int, DateTime> ReadyAt => _ready;

    public IReadOnlyDictionary<int, DateTime> StartedAt => _started;

    public IReadOnlyDictionary<int, long> ReleasedMicroseconds => _released;

    public async Task<CommandResult> ExecAsync(Node node, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var script = command[^1];
        var barrier = ClientBarrier().Match(script);
        if (!barrier.Success)
        {
            lock (OtherCommands)
                OtherCommands.Add(script);
            if (Answer(script) is { } answer)
                return answer;
            if (script.Contains("wrk -v", StringComparison.Ordinal))
                return new CommandResult(1, "wrk debian/4.1.0-3+b2 [epoll] Copyright (C) 2012 Will Glozer\nUsage: wrk <options> <url>\n", "", TimeSpan.Zero);
            return new CommandResult(0, script.Contains("nc -h", StringComparison.Ordinal) ? "OpenBSD netcat (Debian patchlevel 1.219-1)\n" : "", script == "-v" ? "" : "", TimeSpan.Zero);
        }
        lock (ClientScripts)
            ClientScripts.Add(script);
        // Clients run at the barrier; so do the nodes of a mesh, which are the servers.
        var pair = Pairs.Single(p => p.Client == node || p.Server == node);
        if (FailBeforeBarrier(pair) is { } failure)
            return failure;
        await Task.Delay(ArrivalDelay(pair), cancellationToken);
        var dir = ToHost(barrier.Groups[1].Value);
        _ready[pair.Index] = DateTime.UtcNow;
        await File.WriteAllBytesAsync(Path.Combine(dir, $"ready.{pair.Index}"), [], cancellationToken);
        while (!File.Exists(Path.Combine(dir, "go")))
            await Task.Delay(1, cancellationToken);
        GoSeenAt ??= DateTime.UtcNow;
        if (File.Exists(Path.Combine(dir, "abort")))
            return new CommandResult(StartBarrier.AbortedExitCode, "", "", TimeSpan.Zero);
        _started[pair.Index] = DateTime.UtcNow;
        var released = (DateTime.UtcNow - DateTime.UnixEpoch).Ticks / 10;
        _released[pair.Index] = released;
        var (stdout, stderr, exit) = Client(pair, script);
        if (ServerAfterClient is { } server)
        {
            await File.WriteAllTextAsync(Path.Combine(dir, $"server.{pair.Index}.out"), server(pair, released), cancellationToken);
            await File.WriteAllTextAsync(Path.Combine(dir, $"server.{pair.Index}.exit"), "0\n", cancellationToken);
        }
        if (ThrowAfterRelease(pair) is { } thrown)
            throw thrown;
        var releaseLine = $"{StartBarrier.ReleaseMarker}{released / 1_000_000}.{released % 1_000_000:D6}\n";
        if (!barrier.Groups[2].Success)
            return new CommandResult(exit, stdout, releaseLine + stderr, TimeSpan.FromSeconds(1));
        // The script sends its output to files of the run directory, as bash's 'exec > out 2> err' does; the stream carries none.
        await File.WriteAllTextAsync(Path.Combine(dir, barrier.Groups[2].Value), stdout, cancellationToken);
        await File.WriteAllTextAsync(Path.Combine(dir, barrier.Groups[3].Value), releaseLine + stderr, cancellationToken);
        return new CommandResult(exit, "", "", TimeSpan.FromSeconds(1));
    }

    public Task StartDetachedAsync(Node node, IReadOnlyList<string> command, CancellationToken cancellationToken)
    {
        var script = command[^1];
        lock (ServerScripts)
            ServerScripts.Add(script);
        var match = ServerWrapper().Match(script);
        File.WriteAllText(Path.Combine(ToHost(match.Groups[1].Value), $"server.{match.Groups[2].Value}.pid"), "4242\n");
        return Task.CompletedTask;
    }

    public Task<CpuSnapshot> SnapshotCpuAsync(CancellationToken cancellationToken)
    {
        // Each snapshot adds 1 CPU-second per container and 2 busy host seconds over 1 s on 4 cores.
        _cpu += 1;
        var containers = Pairs.SelectMany(p => new[] { p.Client.Name, p.Server.Name }).ToDictionary(n => n, _ => _cpu);
        return Task.FromResult(new CpuSnapshot(TimeSpan.FromSeconds(_cpu), containers, 2 * _cpu, 4));
    }

    public void Dispose() => Directory.Delete(SharedDirectoryOnHost, recursive: true);

    private string ToHost(string inContainer) => SharedDirectoryOnHost + inContainer[SharedDirectoryInContainer.Length..];

    [GeneratedRegex(@"(?:^|; )d=(\S+); (?:exec > ""\$d/([^""/]+)"" 2> ""\$d/([^""/]+)""; )?: > ""\$d/ready\.\d+""")]
    private static partial Regex ClientBarrier();

    [GeneratedRegex(@"^d=(\S+); .*""\$d/server\.(\d+)\.out""")]
    private static partial Regex ServerWrapper();
}
