using System.Globalization;

namespace NetPerf.Plan;

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
/// </remarks>
public sealed class Axis
{
    private Axis(string key, string parameterName, Type valueType, string attributeName, string? unit, bool positive)
    {
        Key = key;
        ParameterName = parameterName;
        ValueType = valueType;
        AttributeName = attributeName;
        Unit = unit;
        MustBePositive = positive;
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

    /// <summary>Every axis, in the order cells are nested (the first varies slowest) and cell ids are written.</summary>
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
    public string TypeName => ValueType == typeof(int) ? "int" : ValueType.Name;

    /// <inheritdoc />
    public override string ToString() => Key;
}
