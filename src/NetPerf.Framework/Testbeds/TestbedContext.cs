using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Host;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// What a driver gets while building one testbed: the engine, the options, names and labels that tie
/// every resource to this run, and a teardown list.
/// </summary>
public sealed class TestbedContext
{
    private readonly Stack<(string Description, Func<Task> Undo)> _undo = new();
    private readonly Lock _gate = new();

    internal TestbedContext(IContainerEngine engine, TestbedOptions options, ProbeResult probe)
    {
        Engine = engine;
        Options = options;
        Probe = probe;
        Tag = Reaper.NextTestbedTag();
        Labels = new Dictionary<string, string>
        {
            [Reaper.Label] = "1",
            [Reaper.SessionLabel] = Reaper.SessionId,
            [Reaper.OwnerLabel] = ProcessIdentity.Current,
            ["netperf.testbed"] = Tag,
            ["netperf.driver"] = options.Driver.Name,
        };
    }

    /// <summary>The engine to create networks and containers on.</summary>
    public IContainerEngine Engine { get; }

    /// <summary>What was asked for.</summary>
    public TestbedOptions Options { get; }

    /// <summary>What the capability probe found.</summary>
    public ProbeResult Probe { get; }

    /// <summary>
    /// The second engine that clients run on when the placement is <see cref="Placement.AcrossNodes"/>, and its network
    /// namespace when that engine runs on this machine (null for a remote engine); null for one-engine testbeds.
    /// </summary>
    internal Node? SecondNode { get; set; }

    /// <summary>An engine of a testbed that spans engines, and its network namespace on this machine when it has one.</summary>
    internal sealed record Node(IContainerEngine Engine, string? Namespace);

    /// <summary>Two base-36 digits, unique within the process.</summary>
    public string Tag { get; }

    /// <summary>Prefix for host link and OVS bridge names (9 characters, leaving 6 of Linux's 15).</summary>
    public string LinkPrefix => $"np{Reaper.SessionId}{Tag}";

    /// <summary>Prefix for engine object names, e.g. <c>np-1a2b3-0k</c>.</summary>
    public string NamePrefix => $"np-{Reaper.SessionId}-{Tag}";

    /// <summary>Labels every engine object of this testbed carries (session, owner process, testbed, driver).</summary>
    public IReadOnlyDictionary<string, string> Labels { get; }

    /// <summary>Records how to undo something just created; teardown runs these in reverse order.</summary>
    public void Track(string description, Func<Task> undo)
    {
        lock (_gate) _undo.Push((description, undo));
    }

    /// <summary>Reserves a subnet for this testbed, released at teardown.</summary>
    public async Task<SubnetLease> ReserveSubnetAsync(CancellationToken cancellationToken)
    {
        var lease = await SubnetAllocator.ReserveAsync(Engine, cancellationToken).ConfigureAwait(false);
        Track($"subnet {lease.Cidr}", () => { lease.Dispose(); return Task.CompletedTask; });
        return lease;
    }

    /// <summary>Runs every recorded undo step in reverse order; collects failures instead of stopping at the first.</summary>
    internal async Task<IReadOnlyList<string>> UndoAllAsync() => (await UndoAllReportingFaultsAsync().ConfigureAwait(false)).Failures;

    /// <summary>Runs every undo step; known engine faults (<see cref="StaleEndpointsException"/>) are returned apart from failures.</summary>
    internal async Task<(IReadOnlyList<string> Failures, IReadOnlyList<string> EngineFaults)> UndoAllReportingFaultsAsync()
    {
        var failures = new List<string>();
        var faults = new List<string>();
        while (true)
        {
            (string Description, Func<Task> Undo) step;
            lock (_gate)
            {
                if (!_undo.TryPop(out step)) break;
            }
            try { await step.Undo().ConfigureAwait(false); }
            catch (StaleEndpointsException e) { faults.Add(e.Message); }
            catch (Exception e) { failures.Add($"{step.Description}: {e.Message}"); }
        }
        return (failures, faults);
    }
}
