using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Plan (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Which suite a cell belongs to: the quick one CI runs on every change, or the full one run on request.</summary>
public enum Scale
{
    /// <summary>The default: cells run in every test run (trait <c>scale=ci</c>).</summary>
    Ci,

    /// <summary>Cells of a <c>[FullScale]</c> method: explicit, run only when asked for (trait <c>scale=full</c>; <c>--explicit on</c>).</summary>
    Full,
}
