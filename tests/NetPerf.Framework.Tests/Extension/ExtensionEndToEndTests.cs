namespace NetPerf.Tests.Extension;

/// <summary>
/// Scenario-shaped theories declared in this assembly with a driver and axes of its own, run through
/// Microsoft.Testing.Platform: their cells must arrive with their names, traits and the user's driver.
/// </summary>
public class ExtensionEndToEndTests
{
    [DriverTheory]
    [Drivers(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs, Driver.Overlay, Driver.None, Driver.Container, Driver.Ipvlan, Driver.BridgeNat, UserBridgeDriver.DriverName)]
    public void Ten_drivers(string driver)
    {
        var test = TestContext.Current.Test!;

        Assert.Equal([driver], test.Traits["driver"]);
        // xUnit writes string arguments quoted: a Driver parameter shows Bridge, a string parameter "Bridge".
        Assert.Equal($"Ten_drivers(driver: \"{driver}\")", test.TestDisplayName);
        Assert.Equal($"driver={driver}/pairs=1", Experiment.ForCurrentCell().Cell.CellId);
    }

    [DriverTheory]
    [Drivers(UserBridgeDriver.DriverName)]
    [QueueDisciplines("pfifo", "htb")]
    [Streams(2)]
    public void User_driver_and_axes(string driver, string qdisc, int streams)
    {
        var experiment = Experiment.ForCurrentCell();
        var definition = experiment.Run(Workload.Iperf3Tcp(TimeSpan.FromSeconds(1))).ToDefinition();

        Assert.Equal($"driver=UserBridge/pairs=1/qdisc={qdisc}/streams={streams}", experiment.Cell.CellId);
        Assert.Equal([qdisc], TestContext.Current.Test!.Traits["qdisc"]);
        Assert.Equal(["2"], TestContext.Current.Test.Traits["streams"]);
        Assert.IsType<UserBridgeDriver>(definition.Drivers.Get(driver));
    }
}
