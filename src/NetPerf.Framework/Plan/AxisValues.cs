using System.Globalization;
using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Plan (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The values one declaration (attribute) gives an axis, with any problem found in the declaration itself.</summary>
/// <param name="Axis">The axis the values belong to.</param>
/// <param name="Values">The values in declared order, each of <see cref="Axis.ValueType"/>; checked by <see cref="MatrixBuilder"/>.</param>
/// <param name="DeclaredBy">The declaration as the author wrote it, for messages, e.g. <c>[PairsRange(1, 10, 3)]</c>.</param>
public sealed record AxisValues(Axis Axis, IReadOnlyList<object> Values, string DeclaredBy)
{
    /// <summary>The most values a range may make (a typo such as <c>[PairsRange(1, 1000000)]</c> would otherwise build a million cells).</summary>
    public const int MaxRangeValues = 10_000;

    /// <summary>Problems in the declaration that the values alone cannot show (e.g. a range whose step is 0); each says the fix and reads as the end of a sentence that starts "'Type.Method' has ".</summary>
    public IReadOnlyList<string> Problems { get; init; } = [];

    /// <summary>Values listed one by one.</summary>
    /// <typeparam name="T">The value type of the axis.</typeparam>
    /// <param name="axis">The axis.</param>
    /// <param name="values">The values in order.</param>
    /// <returns>The declaration, written as <c>[Attribute(v1, v2)]</c>.</returns>
    public static AxisValues Of<T>(Axis axis, IEnumerable<T> values)
        where T : notnull
    {
        var list = values.Select(v => (object)v).ToList();
        return new AxisValues(axis, list, $"[{axis.AttributeName}({Declared(list)})]");
    }

    /// <summary>Values the way C# source writes them in an attribute: <c>Driver.Bridge, "VethPair", 1024</c>.</summary>
    /// <param name="values">The values.</param>
    /// <returns>The values separated by commas.</returns>
    public static string Declared(IEnumerable<object?> values) =>
        string.Join(", ", (values ?? []).Select(v => v switch
        {
            null => "null",
            Enum => $"{v.GetType().Name}.{v}",
            string s => $"\"{s}\"",
            Type t => $"typeof({t.Name})",
            _ => Axis.Format(v),
        }));

    /// <summary>The integers from <paramref name="from"/> up to and including <paramref name="to"/> in steps of <paramref name="step"/>.</summary>
    /// <param name="axis">An axis whose values are <see cref="int"/>.</param>
    /// <param name="from">The first value.</param>
    /// <param name="to">The last value at most (included when the steps land on it).</param>
    /// <param name="step">The distance between values; 1 or more.</param>
    /// <param name="attributeName">The declaring attribute for messages, e.g. <c>PairsRange</c>.</param>
    /// <returns>The values, or none and a problem when the range is empty, the step is not positive or it makes more than <see cref="MaxRangeValues"/> values.</returns>
    public static AxisValues Range(Axis axis, int from, int to, int step, string attributeName)
    {
        var declaredBy = string.Create(CultureInfo.InvariantCulture, $"[{attributeName}({from}, {to}, {step})]");
        if (step <= 0)
        {
            return new AxisValues(axis, [], declaredBy)
            {
                Problems = [string.Create(CultureInfo.InvariantCulture, $"{declaredBy} with step {step}; make the step 1 or more")],
            };
        }

        if (from > to)
        {
            return new AxisValues(axis, [], declaredBy)
            {
                Problems = [string.Create(CultureInfo.InvariantCulture, $"{declaredBy}, which starts at {from}, after its end {to}; swap 'from' and 'to'")],
            };
        }

        long count = ((long)to - from) / step + 1;
        if (count > MaxRangeValues)
        {
            return new AxisValues(axis, [], declaredBy)
            {
                Problems = [string.Create(CultureInfo.InvariantCulture, $"{declaredBy}, which makes {count} values, more than the {MaxRangeValues} a range may make; raise the step or narrow the range")],
            };
        }

        var values = new List<object>();
        for (long v = from; v <= to; v += step)
        {
            values.Add((int)v);
        }

        return new AxisValues(axis, values, declaredBy);
    }
}
