using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The transport protocols to measure; one cell per protocol.</summary>
/// <remarks>Use with <see cref="DriverTheoryAttribute"/> and a <c>Protocol protocol</c> parameter: <c>[Protocols(Protocol.Tcp, Protocol.Udp)]</c>.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class ProtocolsAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the protocols.</summary>
    /// <param name="protocols">The protocols, each once.</param>
    public ProtocolsAttribute(params Protocol[] protocols) => Protocols = protocols ?? [];

    /// <summary>The declared protocols.</summary>
    public IReadOnlyList<Protocol> Protocols { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis.Protocol, Protocols);
}
