using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Whether a driver can be used on this machine, and if not, why and what to do.</summary>
/// <param name="Driver">The name of the driver checked, e.g. <c>Bridge</c>.</param>
/// <param name="Available">True when a testbed on this driver can be built.</param>
/// <param name="Reason">When unavailable: one line a user can act on (what is missing and how to fix it). When available: a short note (e.g. the OVS datapath).</param>
public sealed record DriverAvailability(string Driver, bool Available, string Reason)
{
    /// <inheritdoc />
    public override string ToString() => $"{Driver,-9} {(Available ? "available" : "UNAVAILABLE")}  {Reason}";
}
