using NetPerf.Statistics;

namespace NetPerf.Tests.Statistics;

public class SampleAnalyzerTests
{
    private static readonly SampleAnalyzer Analyzer = SampleAnalyzer.Default;

    [Fact]
    public void Three_values_match_hand_computed_harrell_davis_quartiles()
    {
        // n = 3, p = 0.25: Beta(1, 3) weights 19/27, 7/27, 1/27 -> Q1 = (19 + 14 + 3) / 27 = 4/3; Q3 by symmetry 8/3.
        var summary = Analyzer.Summarize([1, 2, 3]);

        Assert.Equal(3, summary.Count);
        Assert.Equal(2, summary.Median, 6);
        Assert.Equal(4.0 / 3, summary.Q1, 6);
        Assert.Equal(8.0 / 3, summary.Q3, 6);
        Assert.Equal(1, summary.Min);
        Assert.Equal(3, summary.Max);
        Assert.Equal(2, summary.Mean, 12);
        Assert.Equal(1, summary.StandardDeviation!.Value, 12);
    }

    [Fact]
    public void Skewed_sample_matches_hand_computed_median_mean_and_stdev()
    {
        // Median weights Beta(2, 2) at 1/3 and 2/3: 7/27, 13/27, 7/27 -> (7 + 26 + 28) / 27 = 61/27.
        // Mean 7/3; squared deviations 16/9 + 1/9 + 25/9 = 42/9, / (n - 1) = 7/3.
        var summary = Analyzer.Summarize([4, 1, 2]);

        Assert.Equal(61.0 / 27, summary.Median, 6);
        Assert.Equal(7.0 / 3, summary.Mean, 12);
        Assert.Equal(Math.Sqrt(7.0 / 3), summary.StandardDeviation!.Value, 12);
        Assert.Equal([4, 1, 2], summary.Values);
    }

    [Fact]
    public void Median_interval_never_leaves_the_observed_range()
    {
        // Retransmit counts of a real run: small and skewed, where estimate +- z * SE went below zero.
        var summary = Analyzer.Summarize([0, 0, 3, 1, 2400]);

        var interval = Assert.IsType<Interval>(summary.MedianInterval);
        Assert.True(interval.Lower >= 0, $"lower bound {interval.Lower}");
        Assert.True(interval.Upper <= 2400, $"upper bound {interval.Upper}");
        Assert.Contains(summary.Notes, n => n.Contains("clamped to the observed range", StringComparison.Ordinal));
    }

    [Fact]
    public void Median_interval_contains_the_median_and_is_symmetric_for_symmetric_data()
    {
        var summary = Analyzer.Summarize([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);

        Assert.Equal(5.5, summary.Median, 6);
        var interval = Assert.IsType<Interval>(summary.MedianInterval);
        Assert.Equal(0.95, interval.ConfidenceLevel);
        Assert.True(interval.Lower < 5.5 && 5.5 < interval.Upper);
        Assert.Equal(5.5 - interval.Lower, interval.Upper - 5.5, 6);
    }

    [Fact]
    public void Tukey_outliers_are_reported_and_kept()
    {
        double[] values = [10, 10.1, 9.9, 10.2, 9.8, 10.05, 9.95, 10.1, 9.9, 30];
        var summary = Analyzer.Summarize(values);

        Assert.Equal([30.0], summary.Outliers);
        Assert.Equal(30, summary.Max);
        Assert.Equal(10, summary.Count);
        Assert.True(summary.UpperFence < 30);
        Assert.Equal(summary.Q3 + 1.5 * (summary.Q3 - summary.Q1), summary.UpperFence, 9);
    }

    [Fact]
    public void Single_value_gives_a_finite_summary_without_spread_or_interval()
    {
        var summary = Analyzer.Summarize([7.5]);

        Assert.Equal(1, summary.Count);
        Assert.Equal(7.5, summary.Median);
        Assert.Equal(7.5, summary.Q1);
        Assert.Equal(7.5, summary.Q3);
        Assert.Null(summary.StandardDeviation);
        Assert.Null(summary.MedianInterval);
        Assert.Empty(summary.Outliers);
        Assert.False(summary.IsMultimodal);
        Assert.Contains(summary.Notes, note => note.Contains("n = 1", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_values_have_no_interval_but_a_standard_deviation()
    {
        var summary = Analyzer.Summarize([1, 3]);

        Assert.Equal(2, summary.Median, 6);
        Assert.Null(summary.MedianInterval);
        Assert.Equal(Math.Sqrt(2), summary.StandardDeviation!.Value, 12);
        AssertAllFinite(summary);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(10)]
    public void Constant_sample_has_zero_spread_and_a_zero_width_interval(int count)
    {
        var summary = Analyzer.Summarize(Enumerable.Repeat(0.1, count).ToArray());

        Assert.True(summary.IsConstant);
        Assert.Equal(0.1, summary.Median);
        Assert.Equal(0.1, summary.Mean);
        Assert.Equal(0, summary.StandardDeviation);
        Assert.Equal(new Interval(0.1, 0.1, 0.95), summary.MedianInterval);
        Assert.Equal(2, summary.MValue);
        Assert.Equal(1, summary.Modes);
        Assert.Empty(summary.Outliers);
        AssertAllFinite(summary);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(50)]
    public void A_sample_whose_values_differ_only_in_the_last_bits_is_summarised_with_one_mode(int count)
    {
        // Seen on 2026-12-03: the interval ends of three UDP trials, all 1.999993 s to the microsecond, differed below 1e-9,
        // and Perfolizer's Lowland detector threw "sample should contain at least two different elements".
        var values = Enumerable.Range(0, count).Select(i => i % 3 == 0 ? 1.999993 : i % 3 == 1 ? Math.BitIncrement(1.999993) : 1.999993 + 4e-10).ToArray();
        Assert.NotEqual(values.Min(), values.Max());

        var summary = Analyzer.Summarize(values);

        Assert.Equal(1, summary.Modes);
        Assert.InRange(summary.Median, values.Min(), values.Max());
        AssertAllFinite(summary);
    }

    [Fact]
    public void Bimodal_sample_is_flagged()
    {
        var noise = new NetPerf.Tests.Verdicts.Noise(7);
        var values = noise.LogNormal(10, 10, 0.02).Concat(noise.LogNormal(10, 20, 0.02)).ToArray();

        var summary = Analyzer.Summarize(values);

        Assert.True(summary.IsMultimodal);
        Assert.True(summary.MValue > StatisticsDefaults.MultimodalMValue);
        Assert.Contains(summary.Notes, note => note.Contains("multimodal", StringComparison.Ordinal));
    }

    [Fact]
    public void Tight_unimodal_sample_is_not_flagged()
    {
        var summary = Analyzer.Summarize(new NetPerf.Tests.Verdicts.Noise(3).LogNormal(20, 10, 0.02));

        Assert.False(summary.IsMultimodal);
        Assert.Equal(1, summary.Modes);
    }

    [Fact]
    public void Empty_and_non_finite_inputs_are_rejected_with_the_index()
    {
        Assert.Throws<ArgumentException>(() => Analyzer.Summarize([]));
        var error = Assert.Throws<ArgumentException>(() => Analyzer.Summarize([1, double.NaN]));
        Assert.Contains("'values[1]'", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Summary_copies_the_values()
    {
        var values = new List<double> { 1, 2, 3 };
        var summary = Analyzer.Summarize(values);
        values[0] = 100;

        Assert.Equal(1, summary.Values[0]);
    }

    private static void AssertAllFinite(SampleSummary s)
    {
        double[] numbers = [s.Median, s.Q1, s.Q3, s.Min, s.Max, s.Mean, s.LowerFence, s.UpperFence, s.MValue, s.StandardDeviation ?? 0,
            s.MedianInterval?.Lower ?? 0, s.MedianInterval?.Upper ?? 0];
        Assert.All(numbers, n => Assert.True(double.IsFinite(n)));
    }

    [Theory]
    [InlineData(1, 0)]
    [InlineData(2, 0)]
    [InlineData(3, 0)]
    [InlineData(5, 1)]
    [InlineData(150, 2)]
    [InlineData(1500, 3)]
    public void The_centre_alone_is_the_same_numbers_as_the_full_summary(int count, int seed)
    {
        // Skewed, constant and bimodal samples: every field a baseline stores must be bit-for-bit the full summary's.
        var random = new Random(seed);
        double[][] samples =
        [
            [.. Enumerable.Range(0, count).Select(_ => Math.Round(Math.Exp(random.NextDouble() * 3), 3))],
            [.. Enumerable.Repeat(17.25, count)],
            [.. Enumerable.Range(0, count).Select(i => (i % 2 == 0 ? 10 : 30) + random.NextDouble())],
        ];
        foreach (var values in samples)
        {
            var full = Analyzer.Summarize(values);
            var centre = Analyzer.SummarizeCentre(values);

            Assert.Equal(full.Values, centre.Values);
            Assert.Equal(BitConverter.DoubleToInt64Bits(full.Median), BitConverter.DoubleToInt64Bits(centre.Median));
            Assert.Equal(BitConverter.DoubleToInt64Bits(full.Q1), BitConverter.DoubleToInt64Bits(centre.Q1));
            Assert.Equal(BitConverter.DoubleToInt64Bits(full.Q3), BitConverter.DoubleToInt64Bits(centre.Q3));
            Assert.Equal(full.Min, centre.Min);
            Assert.Equal(full.Max, centre.Max);
            Assert.Equal(full.MedianInterval, centre.MedianInterval);
        }
    }
}
