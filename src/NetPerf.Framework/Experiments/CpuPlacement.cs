using System.Globalization;
using NetPerf.Testbeds;

namespace NetPerf.Experiments;

/// <summary>
/// Turns a cell's CPU axes (cores available, pinning policy) into a cpuset per container.
/// </summary>
/// <remarks>
/// Cores = k confines every container to CPUs 0..k-1 (the container-to-core ratio study). Pinning
/// SameCore puts pair i's client and server on core i mod k; DifferentCores puts the server on core
/// i mod k and the client on core (i+1) mod k (with one core, DifferentCores is impossible and rejected).
/// </remarks>
internal static class CpuPlacement
{
    /// <summary>The cpuset chooser for a testbed, or <see langword="null"/> for no confinement.</summary>
    /// <exception cref="ArgumentException">More cores asked than the machine has, or DifferentCores with one core.</exception>
    public static Func<NodeSlot, string?>? For(int? cores, CpuPinning? pinning, int machineCores)
    {
        var k = cores ?? machineCores;
        if (k < 1 || k > machineCores)
            throw new ArgumentException($"The cell asks for {k.ToString(CultureInfo.InvariantCulture)} cores but this machine has {machineCores.ToString(CultureInfo.InvariantCulture)}; lower [Cores] or run on a larger machine.");
        var pin = pinning ?? CpuPinning.None;
        if (pin == CpuPinning.DifferentCores && k < 2)
            throw new ArgumentException("CpuPinning.DifferentCores needs at least 2 cores; remove it from cells with [Cores(1)].");
        return pin switch
        {
            CpuPinning.None when cores is null => null,
            CpuPinning.None => _ => Range(k),
            CpuPinning.SameCore => slot => Core(slot.PairIndex % k),
            CpuPinning.DifferentCores => slot => Core((slot.PairIndex + (slot.Role == NodeRole.Client ? 1 : 0)) % k),
            _ => throw new ArgumentOutOfRangeException(nameof(pinning), pinning, "Unknown pinning policy."),
        };
    }

    private static string Core(int core) => core.ToString(CultureInfo.InvariantCulture);

    private static string Range(int k) => k == 1 ? "0" : $"0-{(k - 1).ToString(CultureInfo.InvariantCulture)}";
}
