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
        {
            double u1 = 1 - random.NextDouble(), u2 = random.NextDouble();
            double z = Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
            values[i] = median * Math.Exp(sigma * z);
        }
        return values;
    }
}
