using NetPerf.Testbeds;

namespace NetPerf.Tests.Attributes;

/// <summary>Reports the given drivers unavailable with a fixed reason; counts the questions.</summary>
internal sealed class FakeCapabilityCheck(params Driver[] unavailable) : ICapabilityCheck
{
    public const string Reason = "the kernel has no openvswitch module; use the userspace datapath";

    public int Calls { get; private set; }

    public DriverAvailability Check(Driver driver)
    {
        Calls++;
        return unavailable.Contains(driver) ? new(driver, false, Reason) : new(driver, true, "fake: available");
    }
}
