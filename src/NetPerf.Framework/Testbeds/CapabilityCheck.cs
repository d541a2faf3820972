using NetPerf.Testbeds.Drivers;
using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds.Host;

namespace NetPerf.Testbeds;

/// <summary>
/// The "doctor": probes the engine, the tools image and Open vSwitch once, then answers per driver
/// whether it is available and, if not, why, in words a user can act on.
/// </summary>
internal sealed class CapabilityCheck : ICapabilityCheck
{
    private readonly Lazy<ProbeResult> _probe;
    private readonly Dictionary<string, DriverAvailability> _answers = [];

    /// <summary>Creates a check against an engine (default: <see cref="TestcontainersEngine.FromEnvironment"/>) and image (default: <see cref="ToolsImage.Reference"/>).</summary>
    public CapabilityCheck(IContainerEngine? engine = null, string? image = null)
    {
        _probe = new Lazy<ProbeResult>(() =>
        {
            using var owned = engine is null ? Logging.NetPerfLog.Wrap(TestcontainersEngine.FromEnvironment()) : null;
            return ProbeAsync(engine ?? owned!, image ?? ToolsImage.Reference, CancellationToken.None).GetAwaiter().GetResult();
        });
    }

    /// <summary>What the probe found.</summary>
    public ProbeResult Probe => _probe.Value;

    /// <inheritdoc />
    public DriverAvailability Check(INetworkDriver driver)
    {
        ArgumentNullException.ThrowIfNull(driver);
        lock (_answers)
        {
            if (_answers.TryGetValue(driver.Name, out var known)) return known;
            DriverAvailability answer;
            try { answer = driver.Check(Probe); }
            catch (Exception e) { answer = new DriverAvailability(driver.Name, false, $"the capability check itself failed: {e.Message}"); }
            return _answers[driver.Name] = answer;
        }
    }

    /// <summary>Checks one built-in driver.</summary>
    public DriverAvailability Check(Driver driver) => Check(DriverRegistry.BuiltIn.Get(driver));

    /// <summary>Checks every built-in driver, in enum order.</summary>
    public IReadOnlyList<DriverAvailability> CheckAll() => [.. DriverRegistry.BuiltIn.All.Select(Check)];

    /// <summary>Probes the engine, image and Open vSwitch; never throws for an unavailable component.</summary>
    public static async Task<ProbeResult> ProbeAsync(IContainerEngine engine, string image, CancellationToken cancellationToken)
    {
        EngineInfo? info = null;
        string? engineProblem = null, imageProblem = null;
        try
        {
            info = await engine.GetInfoAsync(cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is EngineException or TimeoutException or HttpRequestException or IOException)
        {
            // What to do depends on the engine (scripts/setup.sh manages only the local one); an engine error already says it.
            var hint = TestcontainersEngine.SetupHint(engine.Endpoint);
            engineProblem = $"the Docker engine at '{engine.Endpoint}' does not answer ({e.Message})" + (e.Message.Contains(hint, StringComparison.Ordinal) ? "" : $"; {hint}");
        }
        if (info is not null)
        {
            try
            {
                if (!await engine.ImageExistsAsync(image, cancellationToken).ConfigureAwait(false))
                    imageProblem = $"the tools image '{image}' is not on the engine; build it (offline) with 'dotnet build -t:NetPerfBuildImages' in a project that references the NetPerf package, or scripts/setup.sh in the NetPerf repository, or set {ToolsImage.EnvironmentVariable}";
            }
            catch (Exception e) when (e is EngineException or TimeoutException)
            {
                imageProblem = $"cannot inspect the tools image '{image}': {e.Message}";
            }
        }
        var endpoint = engine.Endpoint;
        var local = endpoint.StartsWith("unix://", StringComparison.Ordinal) || endpoint.Contains("://127.0.0.1", StringComparison.Ordinal) || endpoint.Contains("://localhost", StringComparison.Ordinal);
        return new ProbeResult(info, engineProblem, local, image, imageProblem, await ProbeOvsAsync(cancellationToken).ConfigureAwait(false));
    }

    private static async Task<OvsStatus> ProbeOvsAsync(CancellationToken ct)
    {
        var version = await HostCommand.RunAsync("ovs-vsctl", ["--version"], TimeSpan.FromSeconds(5), ct).ConfigureAwait(false);
        if (!version.Succeeded) return new OvsStatus(false, false, null, false);
        var show = await HostCommand.RunAsync("ovs-vsctl", ["--timeout=3", "show"], TimeSpan.FromSeconds(6), ct).ConfigureAwait(false);
        var firstLine = version.Stdout.Split('\n')[0].Trim();
        return new OvsStatus(true, show.Succeeded, firstLine, Directory.Exists("/sys/module/openvswitch"));
    }
}
