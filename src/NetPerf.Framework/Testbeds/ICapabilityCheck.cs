namespace NetPerf.Testbeds;

/// <summary>Answers, per driver, whether it can be used here ("doctor").</summary>
public interface ICapabilityCheck
{
    /// <summary>Checks one driver. Never throws: failures become an unavailable answer with a reason.</summary>
    DriverAvailability Check(Driver driver);
}
