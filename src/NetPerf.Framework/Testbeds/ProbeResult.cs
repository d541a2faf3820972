using NetPerf.Testbeds.Engine;
using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>What the capability probe found once per process; drivers decide their availability from it.</summary>
/// <param name="Engine">The engine's self-description, or <see langword="null"/> when it did not answer.</param>
/// <param name="EngineProblem">Why the engine is unusable, in words a user can act on; <see langword="null"/> when fine.</param>
/// <param name="EngineIsLocal">True when the engine runs on this machine (host-side plumbing such as veths and OVS is possible).</param>
/// <param name="Image">The tools image reference.</param>
/// <param name="ImageProblem">Why the image is unusable (e.g. missing); <see langword="null"/> when present.</param>
/// <param name="Ovs">Open vSwitch status on this machine.</param>
public sealed record ProbeResult(EngineInfo? Engine, string? EngineProblem, bool EngineIsLocal, string Image, string? ImageProblem, OvsStatus Ovs)
{
    /// <summary>The first problem that makes every driver unavailable, or <see langword="null"/>.</summary>
    public string? CommonProblem => EngineProblem ?? ImageProblem;
}
