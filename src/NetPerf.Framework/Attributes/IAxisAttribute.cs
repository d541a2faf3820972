using NetPerf.Plan;

namespace NetPerf;

/// <summary>An attribute that declares the values of one axis of a <see cref="DriverTheoryAttribute"/> method.</summary>
/// <remarks>Implemented by <see cref="PairsAttribute"/>, <see cref="PairsRangeAttribute"/>, <see cref="MessageSizesAttribute"/>,
/// <see cref="ProtocolsAttribute"/>, <see cref="CpuPinningAttribute"/> and <see cref="CoresAttribute"/>.</remarks>
public interface IAxisAttribute
{
    /// <summary>The declared values; checked later by <see cref="MatrixBuilder"/>.</summary>
    /// <returns>The axis, the values and the declaration as written.</returns>
    AxisValues ToAxisValues();
}
