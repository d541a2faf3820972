using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The network drivers a <see cref="DriverTheoryAttribute"/> method runs on, as many as you like; one cell per driver.</summary>
/// <remarks>
/// <para>Use with a parameterless <c>[DriverTheory]</c> and a <c>driver</c> parameter:</para>
/// <code>
/// [DriverTheory]
/// [Drivers(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs, Driver.Overlay, Driver.None, Driver.Container, Driver.Ipvlan, Driver.BridgeNat)]
/// public Task Tcp_throughput(Driver driver) => ...
/// </code>
/// <para>
/// List built-in drivers as <see cref="Driver"/> values and drivers of your own by name (their
/// <see cref="INetworkDriver.Name"/>; register them with <see cref="RegisterDriverAttribute"/>):
/// <c>[Drivers(Driver.Bridge, "VethPair")]</c>. The parameter is <c>Driver driver</c> when every listed driver is
/// built in, and <c>string driver</c> (the name) otherwise. An unknown name is reported at discovery with the known
/// names.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class DriversAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the drivers.</summary>
    /// <param name="drivers"><see cref="Driver"/> values and driver names, each once, in the order cells are listed.</param>
    public DriversAttribute(params object?[] drivers) => Drivers = drivers ?? [];

    /// <summary>The declared drivers, as written.</summary>
    public IReadOnlyList<object?> Drivers { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues()
    {
        var declaredBy = $"[Drivers({AxisValues.Declared(Drivers)})]";
        return new AxisValues(Axis.Driver, [.. Drivers.OfType<object>()], declaredBy)
        {
            Problems = Drivers.Contains(null) ? [$"{declaredBy} with a null driver; list Driver values or driver names"] : [],
        };
    }
}
