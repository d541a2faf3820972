using System.Collections.Concurrent;
using System.Runtime.InteropServices;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds;

/// <summary>
/// The process-wide owner of everything NetPerf creates on the machine: it knows this run's session id,
/// runs every registered teardown on SIGINT, SIGTERM and process exit, and records the owner so a later
/// run can sweep what a SIGKILLed run left behind (see <see cref="LeftoverSweeper"/>).
/// </summary>
/// <remarks>This is the only static mutable state of the framework, on purpose: signals are process-wide.</remarks>
internal static class Reaper
{
    /// <summary>Where NetPerf keeps run state on the host (tmpfs: cleared by a reboot, like the veths it describes).</summary>
    public const string StateRoot = "/run/netperf";

    /// <summary>Label every NetPerf container and network carries.</summary>
    public const string Label = "netperf";

    /// <summary>Label holding the session id.</summary>
    public const string SessionLabel = "netperf.session";

    /// <summary>Label holding the owner process identity (pid:starttime).</summary>
    public const string OwnerLabel = "netperf.owner";

    private static readonly ConcurrentDictionary<long, (string Description, Func<Task> Cleanup)> Pending = new();
    private static readonly List<PosixSignalRegistration> Signals = [];
    private static long _next;
    private static int _testbeds;
    private static volatile bool _shuttingDown;
    private static Task? _sweep;

    static Reaper()
    {
        SessionId = Convert.ToHexString(Guid.NewGuid().ToByteArray())[..5].ToLowerInvariant();
        try
        {
            Directory.CreateDirectory(SessionDirectory);
            File.WriteAllText(Path.Combine(SessionDirectory, "owner"), ProcessIdentity.Current);
        }
        catch (IOException) { }
        catch (UnauthorizedAccessException) { }
        foreach (var signal in new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM, PosixSignal.SIGQUIT })
            Signals.Add(PosixSignalRegistration.Create(signal, OnSignal));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            CleanUpAll(TimeSpan.FromSeconds(60));
            ForgetSession();
        };
    }

    /// <summary>Removes this run's state directories once nothing of it is left to clean up (a sweep would find them otherwise).</summary>
    private static void ForgetSession()
    {
        if (!Pending.IsEmpty) return;
        foreach (var dir in new[] { SessionDirectory, Path.Combine(StateRoot, "testbeds", SessionId) })
        {
            try
            {
                if (Directory.Exists(dir)) Directory.Delete(dir, recursive: true);
            }
            catch (IOException) { }
            catch (UnauthorizedAccessException) { }
        }
    }

    /// <summary>Five hex digits naming this run; part of every resource name and label.</summary>
    public static string SessionId { get; }

    /// <summary>This run's state directory: <c>/run/netperf/sessions/{SessionId}</c>.</summary>
    public static string SessionDirectory => Path.Combine(StateRoot, "sessions", SessionId);

    /// <summary>True once a signal or process exit started the final cleanup; new resources must not be created.</summary>
    public static bool ShuttingDown => _shuttingDown;

    /// <summary>A new, process-unique short testbed number (two base-36 digits) for resource names.</summary>
    public static string NextTestbedTag()
    {
        var n = Interlocked.Increment(ref _testbeds) % (36 * 36);
        const string digits = "0123456789abcdefghijklmnopqrstuvwxyz";
        return $"{digits[n / 36]}{digits[n % 36]}";
    }

    /// <summary>Registers a teardown to run if the process is interrupted before the owner disposes the returned handle.</summary>
    /// <exception cref="OperationCanceledException">The process is already shutting down.</exception>
    public static IDisposable Register(string description, Func<Task> cleanup)
    {
        if (_shuttingDown) throw new OperationCanceledException("NetPerf is shutting down (signal received); no new testbeds are created.");
        var id = Interlocked.Increment(ref _next);
        Pending[id] = (description, cleanup);
        return new Registration(id);
    }

    /// <summary>Runs every pending teardown in parallel and waits for them, at most <paramref name="timeout"/>.</summary>
    public static void CleanUpAll(TimeSpan timeout)
    {
        _shuttingDown = true;
        var work = new List<Task>();
        foreach (var key in Pending.Keys)
        {
            if (!Pending.TryRemove(key, out var entry)) continue;
            work.Add(Task.Run(async () =>
            {
                try { await entry.Cleanup().ConfigureAwait(false); }
                catch (Exception e) { Console.Error.WriteLine($"[netperf] cleanup of {entry.Description} failed: {e.Message}"); }
            }));
        }
        if (work.Count == 0) return;
        Console.Error.WriteLine($"[netperf] cleaning up {work.Count} testbed(s) of session {SessionId}");
        Task.WaitAll([.. work], timeout);
    }

    /// <summary>Sweeps leftovers of dead runs once per process, before the first testbed is built.</summary>
    public static Task SweepOnceAsync(IContainerEngine engine, CancellationToken cancellationToken)
    {
        lock (Pending)
        {
            _sweep ??= Task.Run(async () =>
            {
                var removed = await LeftoverSweeper.SweepAsync(engine, cancellationToken).ConfigureAwait(false);
                if (removed.Count > 0)
                    Console.Error.WriteLine($"[netperf] removed {removed.Count} leftover(s) of earlier runs: {string.Join(", ", removed)}");
            }, cancellationToken);
            return _sweep;
        }
    }

    private static void OnSignal(PosixSignalContext context)
    {
        // Clean up first, then let the default action (termination) proceed. That termination skips ProcessExit, so the
        // session's state folder goes here too (it stayed behind after every SIGTERM and SIGINT until this was added).
        CleanUpAll(TimeSpan.FromSeconds(60));
        ForgetSession();
    }

    private sealed class Registration(long id) : IDisposable
    {
        public void Dispose() => Pending.TryRemove(id, out _);
    }
}
