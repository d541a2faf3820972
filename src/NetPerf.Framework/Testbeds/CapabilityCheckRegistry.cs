namespace NetPerf.Testbeds;

/// <summary>The process-wide capability check that a cell asks, just before it runs, whether its driver can be used here.</summary>
/// <remarks>
/// <c>[DriverTheory]</c> asks it when a cell is about to run (never while tests are discovered or listed,
/// so listing the tests does not probe the engine); a cell whose driver is unavailable is skipped with the reason.
/// When nothing is set, the real <see cref="CapabilityCheck"/> against the engine of DOCKER_HOST is used, created on
/// first use; it probes once and caches its answers. Tests that need another answer set their own check and restore
/// the previous one. The check is called once per cell, so an implementation that probes the machine should cache its
/// answers.
/// </remarks>
internal static class CapabilityCheckRegistry
{
    private static volatile ICapabilityCheck? _default;

    /// <summary>The check in use: the one set, else the real check of this machine.</summary>
    public static ICapabilityCheck Default
    {
        get => _default ??= new CapabilityCheck();
        set => _default = value;
    }

    /// <summary>Asks <see cref="Default"/> about a driver.</summary>
    /// <param name="driver">The driver.</param>
    /// <returns>The answer.</returns>
    public static DriverAvailability Check(Driver driver) => Default.Check(driver);

    /// <summary>Asks <see cref="Default"/> about a driver, built-in or registered.</summary>
    /// <param name="driver">The driver.</param>
    /// <returns>The answer.</returns>
    public static DriverAvailability Check(INetworkDriver driver) => Default.Check(driver);
}
