using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The CPU placements of client and server to measure; one cell per placement.</summary>
/// <remarks>Use with <see cref="DriverTheoryAttribute"/> and a <c>CpuPinning pinning</c> parameter:
/// <c>[CpuPinning(CpuPinning.None, CpuPinning.SameCore, CpuPinning.DifferentCores)]</c>.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class CpuPinningAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the placements.</summary>
    /// <param name="pinnings">The placements, each once.</param>
    public CpuPinningAttribute(params CpuPinning[] pinnings) => Pinnings = pinnings ?? [];

    /// <summary>The declared placements.</summary>
    public IReadOnlyList<CpuPinning> Pinnings { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis.Pinning, Pinnings);
}
