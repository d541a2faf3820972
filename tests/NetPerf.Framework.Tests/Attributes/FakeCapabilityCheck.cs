using NetPerf.Testbeds;
using NetPerf.Testbeds.Drivers;

namespace NetPerf.Tests.Attributes;

/// <summary>Reports the drivers of the given names unavailable with a fixed reason; counts the questions.</summary>
internal sealed class FakeCapabilityCheck(params string[] unavailable) : ICapabilityCheck
{
    public const string Reason = "the kernel has no openvswitch module; use the userspace datapath";

    public FakeCapabilityCheck(params Driver[] unavailable)
        : this([.. unavailable.Select(d => d.ToString())])
    {
    }

    public int Calls { get; private set; }

    public DriverAvailability Check(INetworkDriver driver)
    {
        Calls++;
        return unavailable.Contains(driver.Name) ? new(driver.Name, false, Reason) : new(driver.Name, true, "fake: available");
    }
}
