using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>An attribute that declares the values of one axis of a <see cref="DriverTheoryAttribute"/> method.</summary>
/// <remarks>
/// Implemented by <see cref="DriversAttribute"/>, <see cref="PairsAttribute"/>, <see cref="PairsRangeAttribute"/>,
/// <see cref="MessageSizesAttribute"/>, <see cref="ProtocolsAttribute"/>, <see cref="CpuPinningAttribute"/> and
/// <see cref="CoresAttribute"/>. Implement it on an attribute of your own, with an <see cref="Axis"/> of your own, to add
/// an axis: it binds to the parameter of its name and appears in cell ids, display names and traits like the built-in
/// ones (see <see cref="Axis"/> for an example).
/// </remarks>
public interface IAxisAttribute
{
    /// <summary>The declared values; checked later by <see cref="MatrixBuilder"/>.</summary>
    /// <returns>The axis, the values and the declaration as written.</returns>
    AxisValues ToAxisValues();
}
