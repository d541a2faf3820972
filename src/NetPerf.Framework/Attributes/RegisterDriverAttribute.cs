// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Registers a network driver of your own for the scenarios of this assembly, by its name.</summary>
/// <remarks>
/// <para>One line per driver, anywhere in the test assembly:</para>
/// <code>
/// [assembly: RegisterDriver(typeof(VethPairDriver))]
/// </code>
/// <para>
/// The type implements <see cref="INetworkDriver"/> and has a public parameterless constructor;
/// scenarios list it by its <see cref="INetworkDriver.Name"/>:
/// <c>[Drivers(Driver.Bridge, "VethPair")]</c> with a <c>string driver</c> parameter. Its cells are skipped or failed
/// like a built-in driver's when its <see cref="INetworkDriver.Check"/> says it is unavailable. A
/// registration that cannot work (not a driver, no constructor, a name that is taken or unusable) fails every scenario
/// of the assembly at discovery, with the fix.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true)]
public sealed class RegisterDriverAttribute : Attribute
{
    /// <summary>Registers a driver type.</summary>
    /// <param name="driverType">A class implementing <see cref="INetworkDriver"/> with a public parameterless constructor.</param>
    public RegisterDriverAttribute(Type driverType) => DriverType = driverType;

    /// <summary>The registered driver type.</summary>
    public Type DriverType { get; }
}
