// Author-facing, so in namespace NetPerf rather than NetPerf.Plan (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>How the client and server container of each pair are placed on CPU cores.</summary>
/// <remarks>An axis of the experiment plan: list the values with <c>[CpuPinning(CpuPinning.None, CpuPinning.SameCore)]</c> and take a <c>CpuPinning pinning</c> parameter.</remarks>
public enum CpuPinning
{
    /// <summary>No pinning: the kernel schedules the containers on any core.</summary>
    None,

    /// <summary>Client and server of a pair share one core (<c>--cpuset-cpus</c> with the same core).</summary>
    SameCore,

    /// <summary>Client and server of a pair run on different cores.</summary>
    DifferentCores,
}
