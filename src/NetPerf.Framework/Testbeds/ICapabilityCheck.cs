using NetPerf.Testbeds.Drivers;

namespace NetPerf.Testbeds;

/// <summary>Answers, per driver, whether it can be used here ("doctor").</summary>
internal interface ICapabilityCheck
{
    /// <summary>Checks one driver, built-in or registered. Never throws: failures become an unavailable answer with a reason.</summary>
    /// <param name="driver">The driver.</param>
    /// <returns>The answer.</returns>
    DriverAvailability Check(INetworkDriver driver);

    /// <summary>Checks one built-in driver.</summary>
    /// <param name="driver">The driver.</param>
    /// <returns>The answer.</returns>
    DriverAvailability Check(Driver driver) => Check(DriverRegistry.BuiltIn.Get(driver));
}
