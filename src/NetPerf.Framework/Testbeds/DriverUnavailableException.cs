using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A cell or testbed needs a driver this machine cannot provide; the message says why and how to fix it.</summary>
/// <remarks>
/// Normally such cells are skipped at discovery; with <c>NETPERF_REQUIRE_ALL_DRIVERS=1</c> they run and fail with
/// this exception, so a CI machine that is meant to have every driver cannot silently skip one.
/// </remarks>
public sealed class DriverUnavailableException : Exception
{
    /// <summary>Creates the exception from the capability check's answer.</summary>
    /// <param name="availability">The answer; <see cref="DriverAvailability.Available"/> is false.</param>
    /// <param name="hint">What the user can do besides fixing the machine; appended to the message.</param>
    public DriverUnavailableException(DriverAvailability availability, string hint = "")
        : base($"Driver '{availability?.Driver}' is not available on this machine: {availability?.Reason.TrimEnd('.')}. {hint}".TrimEnd())
    {
        ArgumentNullException.ThrowIfNull(availability);
        Availability = availability;
    }

    /// <summary>The capability check's answer.</summary>
    public DriverAvailability Availability { get; }
}
