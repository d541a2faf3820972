using System.Globalization;
using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Plan (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// One dimension of an experiment plan (driver, pairs, message size, ...): the values of all axes of a method are
/// multiplied into cells.
/// </summary>
/// <remarks>
/// Axes bind to test method parameters BY NAME and type: <see cref="Driver"/> to <c>Driver driver</c>,
/// <see cref="Pairs"/> to <c>int pairs</c>, <see cref="MessageSize"/> to <c>int messageSize</c>,
/// <see cref="Protocol"/> to <c>Protocol protocol</c>, <see cref="Pinning"/> to <c>CpuPinning pinning</c> and
/// <see cref="Cores"/> to <c>int cores</c>. The number of trials is a setting, not an axis: trials of one cell are
/// repetitions whose samples form one distribution, so they must not be split into separate cells.
/// <para>
/// An axis of your own is one <see cref="Axis"/> and an attribute that implements <see cref="IAxisAttribute"/>; it then
/// works like the built-in ones (one cell per value, bound to the parameter of its name, in cell ids and traits after
/// the built-in axes, sorted by key):
/// </para>
/// <code>
/// [AttributeUsage(AttributeTargets.Method)]
/// public sealed class QueueDisciplinesAttribute(params string[] qdiscs) : Attribute, IAxisAttribute
/// {
///     public static Axis Axis { get; } = new("qdisc", "qdisc", typeof(string), "QueueDisciplines");
///     public IReadOnlyList&lt;string&gt; Qdiscs { get; } = qdiscs;
///     public AxisValues ToAxisValues() => AxisValues.Of(Axis, Qdiscs);
/// }
/// </code>
/// <para>Two axes are the same axis when their <see cref="Key"/>s are equal.</para>
/// </remarks>
public sealed class Axis : IEquatable<Axis>
{
    /// <summary>Defines an axis; for an axis of your own, keep one instance in a static property of its attribute.</summary>
    /// <param name="key">The key in cell ids and the trait name: letters, digits, '-', '_' and '.', starting with a letter, e.g. <c>qdisc</c>.</param>
    /// <param name="parameterName">The test method parameter that receives the value, e.g. <c>qdisc</c>.</param>
    /// <param name="valueType">The type of the values and the parameter: <see cref="string"/>, <see cref="int"/>, <see cref="long"/>, <see cref="double"/>, <see cref="bool"/> or an enum (test cases must be serialisable).</param>
    /// <param name="attributeName">The declaring attribute without brackets and without the <c>Attribute</c> suffix, for messages, e.g. <c>QueueDisciplines</c>.</param>
    /// <param name="unit">The unit of the values shown in display names (e.g. <c>bytes</c>), or null.</param>
    /// <param name="mustBePositive">True when the values are counts or sizes that must be 1 or more (needs <see cref="int"/> values).</param>
    /// <remarks>The declaration is checked when a plan is built (<see cref="MatrixBuilder.Validate"/>), with every problem listed.</remarks>
    public Axis(string key, string parameterName, Type valueType, string attributeName, string? unit = null, bool mustBePositive = false)
    {
        Key = key ?? throw new ArgumentNullException(nameof(key));
        ParameterName = parameterName ?? throw new ArgumentNullException(nameof(parameterName));
        ValueType = valueType ?? throw new ArgumentNullException(nameof(valueType));
        AttributeName = attributeName ?? throw new ArgumentNullException(nameof(attributeName));
        Unit = unit;
        MustBePositive = mustBePositive;
    }

    /// <summary>The container network driver; declared by <c>[DriverTheory(...)]</c>.</summary>
    public static Axis Driver { get; } = new("driver", "driver", typeof(global::NetPerf.Driver), "DriverTheory", null, false);

    /// <summary>The number of client/server container pairs running at once; declared by <c>[Pairs]</c> or <c>[PairsRange]</c>.</summary>
    public static Axis Pairs { get; } = new("pairs", "pairs", typeof(int), "Pairs", null, true);

    /// <summary>The size of one message (write or datagram) in bytes; declared by <c>[MessageSizes]</c>.</summary>
    public static Axis MessageSize { get; } = new("msg", "messageSize", typeof(int), "MessageSizes", "bytes", true);

    /// <summary>The transport protocol; declared by <c>[Protocols]</c>.</summary>
    public static Axis Protocol { get; } = new("protocol", "protocol", typeof(global::NetPerf.Protocol), "Protocols", null, false);

    /// <summary>How containers are pinned to cores; declared by <c>[CpuPinning]</c>.</summary>
    public static Axis Pinning { get; } = new("pinning", "pinning", typeof(global::NetPerf.CpuPinning), "CpuPinning", null, false);

    /// <summary>The number of CPU cores the containers may use (sets the container-to-core ratio); declared by <c>[Cores]</c>.</summary>
    public static Axis Cores { get; } = new("cores", "cores", typeof(int), "Cores", null, true);

    /// <summary>Every built-in axis, in the order cells are nested (the first varies slowest) and cell ids are written; axes of your own follow, sorted by key.</summary>
    public static IReadOnlyList<Axis> All { get; } = [Driver, Pairs, MessageSize, Protocol, Pinning, Cores];

    /// <summary>The short key used in cell ids and as trait name, e.g. <c>msg</c>.</summary>
    public string Key { get; }

    /// <summary>The name of the test method parameter that receives the value, e.g. <c>messageSize</c>.</summary>
    public string ParameterName { get; }

    /// <summary>The type of the values and of the parameter.</summary>
    public Type ValueType { get; }

    /// <summary>The attribute that usually declares the axis, without brackets, e.g. <c>MessageSizes</c>.</summary>
    public string AttributeName { get; }

    /// <summary>The unit of the values, or null when they have none.</summary>
    public string? Unit { get; }

    /// <summary>True when values must be 1 or more (counts and sizes).</summary>
    public bool MustBePositive { get; }

    /// <summary>Writes a value the way cell ids, traits and messages show it (invariant culture, no unit).</summary>
    /// <param name="value">A value of <see cref="ValueType"/>.</param>
    /// <returns>The value as text, e.g. <c>1024</c> or <c>Bridge</c>.</returns>
    public static string Format(object value) => Convert.ToString(value, CultureInfo.InvariantCulture) ?? string.Empty;

    /// <summary>The C# type name as an author writes it in a parameter list, e.g. <c>int</c>.</summary>
    public string TypeName => ValueType == typeof(int) ? "int"
        : ValueType == typeof(string) ? "string"
        : ValueType == typeof(long) ? "long"
        : ValueType == typeof(double) ? "double"
        : ValueType == typeof(bool) ? "bool"
        : ValueType.Name;

    /// <summary>True for the axes NetPerf defines itself (<see cref="All"/>).</summary>
    public bool IsBuiltIn => All.Any(a => ReferenceEquals(a, this));

    /// <summary>Whether two axes are the same axis: equal keys.</summary>
    public static bool operator ==(Axis? left, Axis? right) => left is null ? right is null : left.Equals(right);

    /// <summary>Whether two axes are different axes: different keys.</summary>
    public static bool operator !=(Axis? left, Axis? right) => !(left == right);

    /// <inheritdoc />
    public bool Equals(Axis? other) => other is not null && string.Equals(Key, other.Key, StringComparison.Ordinal);

    /// <inheritdoc />
    public override bool Equals(object? obj) => Equals(obj as Axis);

    /// <inheritdoc />
    public override int GetHashCode() => StringComparer.Ordinal.GetHashCode(Key);

    /// <inheritdoc />
    public override string ToString() => Key;
}
