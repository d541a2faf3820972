using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The message sizes in bytes (one write or datagram) to measure with; one cell per size.</summary>
/// <remarks>Use with <see cref="DriverTheoryAttribute"/> and an <c>int messageSize</c> parameter: <c>[MessageSizes(64, 1024, 65536)]</c>.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class MessageSizesAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the sizes.</summary>
    /// <param name="bytes">The sizes in bytes, each 1 or more.</param>
    public MessageSizesAttribute(params int[] bytes) => Bytes = bytes ?? [];

    /// <summary>The declared sizes in bytes.</summary>
    public IReadOnlyList<int> Bytes { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis.MessageSize, Bytes);
}
