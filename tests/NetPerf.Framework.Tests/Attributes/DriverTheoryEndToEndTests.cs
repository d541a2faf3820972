using NetPerf.Plan;

namespace NetPerf.Tests.Attributes;

/// <summary>A real scenario-shaped theory: run through Microsoft.Testing.Platform, its cells must arrive with their traits.</summary>
public class DriverTheoryEndToEndTests
{
    [DriverTheory(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
    [Pairs(1, 5, 10, 50)]
    public void Tcp_throughput(Driver driver, int pairs)
    {
        var traits = TestContext.Current.Test!.Traits;

        Assert.Equal([driver.ToString()], traits["driver"]);
        Assert.Equal([pairs.ToString(System.Globalization.CultureInfo.InvariantCulture)], traits["pairs"]);
        Assert.Equal(["ci"], traits["scale"]);
        Assert.Equal($"Tcp_throughput(driver: {driver}, pairs: {pairs})", TestContext.Current.Test.TestDisplayName);
    }

    [DriverTheory(Driver.Bridge)]
    [MessageSizes(64, 65536)]
    [Protocols(Protocol.Tcp, Protocol.Udp)]
    [Trials(3)]
    public void Message_sizes(Driver driver, int messageSize, Protocol protocol)
    {
        var cell = new DriverTheoryAttribute(Driver.Bridge).PlanFor(typeof(DriverTheoryEndToEndTests).GetMethod(nameof(Message_sizes))!)
            .FindCell([driver, messageSize, protocol]);

        Assert.NotNull(cell);
        Assert.Equal(3, cell.Trials);
        Assert.Equal([messageSize.ToString(System.Globalization.CultureInfo.InvariantCulture)], TestContext.Current.Test!.Traits["msg"]);
        Assert.Equal([protocol.ToString()], TestContext.Current.Test.Traits["protocol"]);
    }
}
