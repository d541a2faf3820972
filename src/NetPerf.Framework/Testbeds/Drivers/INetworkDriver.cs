using NetPerf.Testbeds.Drivers;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds.Drivers (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// One container network driver: its name, whether it works here, and how to build a network of it for a testbed.
/// </summary>
/// <remarks>
/// <para>
/// A built-in driver is one class implementing this interface plus one line in NetPerf's <c>DriverRegistry.BuiltIn</c>.
/// A driver of your own is a class in your assembly with a public parameterless constructor, registered once per test
/// assembly with <c>[assembly: RegisterDriver(typeof(YourDriver))]</c>; scenarios then list it by its
/// <see cref="Name"/>: <c>[Drivers(Driver.Bridge, "YourDriver")]</c> with a <c>string driver</c> parameter.
/// </para>
/// <para>
/// NetPerf creates the driver once per test assembly and uses it for every testbed, so keep the state of one testbed in
/// the <see cref="IDriverNetwork"/> that <see cref="CreateAsync"/> returns, and record everything you create with
/// <see cref="TestbedContext.Track"/> so teardown removes it.
/// </para>
/// </remarks>
public interface INetworkDriver
{
    /// <summary>
    /// The driver's name: the value of the <c>driver</c> axis in cell ids (<c>driver=Bridge/pairs=1</c>), traits and
    /// baseline paths. Letters, digits, '-', '_' and '.', unique among the registered drivers.
    /// </summary>
    string Name { get; }

    /// <summary>Whether the driver can be used, given what the probe found; never throws.</summary>
    /// <param name="probe">What the capability probe found (engine, tools image, Open vSwitch).</param>
    /// <returns>The answer; when unavailable its reason says what is missing and how to fix it.</returns>
    DriverAvailability Check(ProbeResult probe);

    /// <summary>True when containers on different engines of a swarm can join one network of this driver (Overlay), so pairs can be placed across nodes.</summary>
    bool SpansEngines => false;

    /// <summary>Creates the driver's network for one testbed; every resource it makes is tracked in <paramref name="context"/> for teardown.</summary>
    /// <param name="context">The testbed being built: engine, options, names, labels and the teardown list.</param>
    /// <param name="cancellationToken">Cancels the creation.</param>
    /// <returns>The network containers join.</returns>
    Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken);
}
