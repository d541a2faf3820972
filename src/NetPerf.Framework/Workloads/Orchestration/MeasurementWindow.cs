using System.Globalization;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Orchestration (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A span of the run timeline (seconds; 0 = first client released) over which a value was measured.</summary>
/// <param name="Start">Start, in seconds.</param>
/// <param name="End">End, in seconds.</param>
public sealed record MeasurementWindow(double Start, double End)
{
    /// <summary>Length, in seconds.</summary>
    public double Seconds => End - Start;

    /// <summary>Seconds of <paramref name="interval"/> that fall inside this window.</summary>
    public double OverlapWith(FlowInterval interval) => Math.Max(0, Math.Min(End, interval.End) - Math.Max(Start, interval.Start));

    /// <inheritdoc />
    public override string ToString() => string.Create(CultureInfo.InvariantCulture, $"{Start:0.000} s to {End:0.000} s ({Seconds:0.000} s)");
}
