namespace NetPerf.Testbeds;

/// <summary>The process-wide capability check that test discovery asks whether a driver can be used here.</summary>
/// <remarks>
/// The framework sets <see cref="Default"/> at startup, before tests are discovered (xUnit asks for the cells of a
/// theory during discovery, so an assembly fixture is too late; a <c>[ModuleInitializer]</c> in the test assembly
/// runs early enough). When nothing is set, the real <see cref="CapabilityCheck"/> against the engine of
/// DOCKER_HOST is used, created on first use; it probes once and caches its answers. Tests that need another
/// answer set their own check and restore the previous one. The check is called once per driver per test method, so
/// an implementation that probes the machine should cache its answers.
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
