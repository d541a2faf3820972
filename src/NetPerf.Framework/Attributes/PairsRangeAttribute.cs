using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Evenly spaced numbers of client/server container pairs: <c>from</c>, <c>from + step</c>, ... up to <c>to</c>.</summary>
/// <remarks>Use with <see cref="DriverTheoryAttribute"/> and an <c>int pairs</c> parameter: <c>[PairsRange(10, 50, 10)]</c>
/// gives 10, 20, 30, 40, 50. Use it instead of <see cref="PairsAttribute"/>, not with it.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PairsRangeAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the range.</summary>
    /// <param name="from">The first count; 1 or more.</param>
    /// <param name="to">The last count at most; included when the steps land on it.</param>
    /// <param name="step">The distance between counts; 1 or more.</param>
    public PairsRangeAttribute(int from, int to, int step = 1)
    {
        From = from;
        To = to;
        Step = step;
    }

    /// <summary>The first count.</summary>
    public int From { get; }

    /// <summary>The last count at most.</summary>
    public int To { get; }

    /// <summary>The distance between counts.</summary>
    public int Step { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Range(Axis.Pairs, From, To, Step, "PairsRange");
}
