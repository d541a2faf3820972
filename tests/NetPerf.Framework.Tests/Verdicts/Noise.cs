namespace NetPerf.Tests.Verdicts;

/// <summary>Seeded synthetic trial values: lognormal noise around a median, like run-to-run network throughput.</summary>
internal sealed class Noise(int seed)
{
    private readonly Random random = new(seed);

    /// <summary><paramref name="count"/> lognormal values with the given median and coefficient of variation.</summary>
    public double[] LogNormal(int count, double median, double cv)
    {
        double sigma = Math.Sqrt(Math.Log(1 + cv * cv));
        var values = new double[count];
        for (int i = 0; i < count; i++)
            values[i] = median * Math.Exp(sigma * Normal());
        return values;
    }

    /// <summary>One standard normal value (Box-Muller).</summary>
    public double Normal()
    {
        double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }

    /// <summary>
    /// One run of <paramref name="trials"/> values: <c>median x exp(b + e)</c> with one run effect b ~ N(0, <paramref name="tau"/>)
    /// shared by the run and trial noise e ~ N(0, <paramref name="sigma"/>) per trial (sds on the log scale).
    /// </summary>
    public double[] Run(int trials, double median, double tau, double sigma)
    {
        double b = tau * Normal();
        var values = new double[trials];
        for (int i = 0; i < trials; i++)
            values[i] = median * Math.Exp(b + sigma * Normal());
        return values;
    }
}
