namespace NetPerf.Testbeds.Drivers;

/// <summary>
/// One container network driver: whether it works here, and how to build a network of it for a testbed.
/// </summary>
/// <remarks>
/// Adding a driver is one class implementing this interface plus one line in <see cref="DriverRegistry"/>.
/// </remarks>
public interface INetworkDriver
{
    /// <summary>The driver this class implements.</summary>
    Driver Kind { get; }

    /// <summary>Whether the driver can be used, given what the probe found; never throws.</summary>
    DriverAvailability Check(ProbeResult probe);

    /// <summary>Creates the driver's network for one testbed; every resource it makes is tracked in <paramref name="context"/> for teardown.</summary>
    Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken);
}
