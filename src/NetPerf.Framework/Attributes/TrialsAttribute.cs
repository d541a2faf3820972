// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>How many times each cell of the method is measured; a setting, not an axis.</summary>
/// <remarks>
/// The trials of a cell are repetitions whose samples form one distribution for the comparison with the baseline, so
/// they do not multiply the cells and the method takes no parameter for them: <c>[Trials(10)]</c>. Without it the
/// runner's default applies.
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class TrialsAttribute : Attribute
{
    /// <summary>Sets the trial count.</summary>
    /// <param name="trials">The count; 1 or more.</param>
    public TrialsAttribute(int trials) => Trials = trials;

    /// <summary>The trial count.</summary>
    public int Trials { get; }
}
