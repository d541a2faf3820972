using NetPerf;

namespace NetPerf.Tests.Extension;

/// <summary>An axis written outside NetPerf: queueing disciplines by name, bound to a <c>string qdisc</c> parameter.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class QueueDisciplinesAttribute(params string[] qdiscs) : Attribute, IAxisAttribute
{
    /// <summary>The axis: key and parameter <c>qdisc</c>.</summary>
    public static Axis Axis { get; } = new("qdisc", "qdisc", typeof(string), "QueueDisciplines");

    /// <summary>The declared disciplines.</summary>
    public IReadOnlyList<string> Qdiscs { get; } = qdiscs;

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis, Qdiscs);
}

/// <summary>A second axis written outside NetPerf: parallel streams per pair, counts that must be 1 or more.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class StreamsAttribute(params int[] streams) : Attribute, IAxisAttribute
{
    /// <summary>The axis: key <c>streams</c>, parameter <c>streams</c>, positive counts.</summary>
    public static Axis Axis { get; } = new("streams", "streams", typeof(int), "Streams", mustBePositive: true);

    /// <summary>The declared counts.</summary>
    public IReadOnlyList<int> Streams { get; } = streams;

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis, Streams);
}

/// <summary>An axis attribute built from its arguments, for declarations that must fail validation.</summary>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = true)]
public sealed class SomeAxisAttribute(string key, string parameterName, Type valueType, params object[] values) : Attribute, IAxisAttribute
{
    /// <summary>The axis key.</summary>
    public string Key { get; } = key;

    /// <summary>The parameter name.</summary>
    public string ParameterName { get; } = parameterName;

    /// <summary>The value type.</summary>
    public Type ValueType { get; } = valueType;

    /// <summary>The values.</summary>
    public IReadOnlyList<object> Values { get; } = values;

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(new Axis(Key, ParameterName, ValueType, "SomeAxis"), Values);
}
