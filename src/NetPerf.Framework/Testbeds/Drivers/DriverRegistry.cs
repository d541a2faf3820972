namespace NetPerf.Testbeds.Drivers;

/// <summary>The network drivers NetPerf knows; adding a driver is one line here.</summary>
public static class DriverRegistry
{
    private static readonly IReadOnlyDictionary<Driver, INetworkDriver> Drivers = new INetworkDriver[]
    {
        new HostDriver(),
        new BridgeDriver(),
        new MacvlanDriver(),
        new OvsDriver(),
        new OverlayDriver(),
        new NoneDriver(),
        new ContainerDriver(),
        new IpvlanDriver(),
        new BridgeNatDriver(),
    }.ToDictionary(d => d.Kind);

    /// <summary>Every registered driver.</summary>
    public static IReadOnlyCollection<INetworkDriver> All => [.. Drivers.Values];

    /// <summary>The implementation of a driver.</summary>
    public static INetworkDriver Get(Driver driver) => Drivers.TryGetValue(driver, out var d)
        ? d
        : throw new ArgumentOutOfRangeException(nameof(driver), driver, $"Driver '{driver}' has no implementation; register one in {nameof(DriverRegistry)}.");
}
