namespace NetPerf.Testbeds;

/// <summary>A testbed was asked for on a driver that cannot be used here; the message says why and how to fix it.</summary>
public sealed class DriverUnavailableException(DriverAvailability availability)
    : Exception($"Driver '{availability.Driver}' is not available on this machine: {availability.Reason}")
{
    /// <summary>The capability check's answer.</summary>
    public DriverAvailability Availability { get; } = availability;
}
