using System.Text;

namespace NetPerf.Experiments;

/// <summary>
/// Which of a cell and its control arm runs first in each trial: a seeded coin flip per trial (randomized multiple
/// interleaved trials), so that neither arm always gets the warm caches, the CPU frequency or the leftovers of the
/// trial before, and a run can be replayed with the same order.
/// </summary>
/// <remarks>
/// <see cref="Letters"/> holds one letter per trial so far: <c>C</c> when the control arm ran first, <c>T</c> when the
/// cell (the arm under test) ran first. The runner writes <see cref="Seed"/> and <see cref="Letters"/> to the cell's
/// facts as <c>control.order_seed</c> and <c>control.order</c>; <c>NETPERF_SEED</c> replays a seed. The seeded
/// <see cref="Random"/> gives the same sequence for the same seed on every .NET version.
/// </remarks>
internal sealed class TrialOrder(int seed)
{
    private readonly Random _random = new(seed);
    private readonly StringBuilder _letters = new();

    /// <summary>The seed of the coin flips.</summary>
    public int Seed { get; } = seed;

    /// <summary>The order of every trial so far, e.g. <c>CTTC</c>.</summary>
    public string Letters => _letters.ToString();

    /// <summary>A new seed, for a run that does not replay one.</summary>
    public static int NewSeed() => Random.Shared.Next();

    /// <summary>
    /// The seed of the confirmation on a fresh testbed, derived from the first run's so that one <c>NETPERF_SEED</c>
    /// replays both: the next number, wrapping to 0 after <see cref="int.MaxValue"/>.
    /// </summary>
    public static int ConfirmationSeed(int seed) => seed == int.MaxValue ? 0 : seed + 1;

    /// <summary>Flips the coin for the next trial and records the result.</summary>
    /// <returns><see langword="true"/> when the control arm runs first.</returns>
    public bool NextControlFirst()
    {
        var controlFirst = _random.Next(2) == 0;
        _letters.Append(controlFirst ? 'C' : 'T');
        return controlFirst;
    }
}
