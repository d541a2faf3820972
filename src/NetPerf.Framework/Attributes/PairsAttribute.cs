using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The numbers of client/server container pairs that run at once; one cell per number.</summary>
/// <remarks>Use with <see cref="DriverTheoryAttribute"/> and an <c>int pairs</c> parameter: <c>[Pairs(1, 5, 10, 50)]</c>.
/// For evenly spaced counts see <see cref="PairsRangeAttribute"/>. Without either, cells have 1 pair.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PairsAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the pair counts.</summary>
    /// <param name="pairs">The counts, each 1 or more, in the order cells are listed.</param>
    public PairsAttribute(params int[] pairs) => Pairs = pairs ?? [];

    /// <summary>The declared pair counts.</summary>
    public IReadOnlyList<int> Pairs { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis.Pairs, Pairs);
}
