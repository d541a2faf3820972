using Perfolizer;
using Perfolizer.Mathematics.Common;
using Perfolizer.Mathematics.Multimodality;
using Perfolizer.Mathematics.OutlierDetection;
using Perfolizer.Mathematics.QuantileEstimators;

namespace NetPerf.Statistics;

/// <summary>Summarises the trial values of one metric (see <see cref="SampleSummary"/>).</summary>
/// <remarks>
/// Small samples work: one value gives a summary whose median, quartiles, min and max are that value,
/// with no standard deviation and no median interval; two values give no median interval. A constant
/// sample has zero spread, an interval of zero width (from 3 values), no outliers and mValue 2.
/// No NaN or infinity ever reaches the summary.
/// </remarks>
internal sealed class SampleAnalyzer
{
    /// <summary>An analyser with the <see cref="StatisticsDefaults"/>.</summary>
    public static SampleAnalyzer Default { get; } = new();

    /// <summary>Creates an analyser.</summary>
    /// <param name="confidenceLevel">Confidence level of the median interval, strictly between 0 and 1.</param>
    public SampleAnalyzer(double confidenceLevel = StatisticsDefaults.ConfidenceLevel)
    {
        if (!(confidenceLevel > 0 && confidenceLevel < 1))
            throw new ArgumentOutOfRangeException(nameof(confidenceLevel), confidenceLevel, "The confidence level must lie strictly between 0 and 1, e.g. 0.95.");
        ConfidenceLevel = confidenceLevel;
    }

    /// <summary>The confidence level of the median interval.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Summarises <paramref name="values"/>.</summary>
    /// <param name="values">The trial values; at least one, all finite.</param>
    /// <exception cref="ArgumentException">The list is empty or holds NaN or an infinity.</exception>
    public SampleSummary Summarize(IReadOnlyList<double> values)
    {
        var copy = Validate(values, nameof(values));
        var sorted = copy.Order().ToArray();
        int n = copy.Length;
        double min = sorted[0], max = sorted[^1];
        var notes = new List<string>();

        if (min == max)
            return SummarizeConstant(copy, n, notes);

        var sample = new Sample(copy);
        var estimator = HarrellDavisQuantileEstimator.Instance;
        var quartiles = Quartiles.Create(sample, estimator);
        var fences = TukeyOutlierDetector.Create(quartiles, StatisticsDefaults.TukeyFenceFactor);
        double mean = copy.Average();
        double variance = n > 1 ? copy.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0;

        Interval? interval = null;
        if (n >= StatisticsDefaults.MinimumCountForInterval)
        {
            var ci = estimator.QuantileConfidenceIntervalEstimator(sample, Probability.Half).ConfidenceInterval(new ConfidenceLevel(ConfidenceLevel));
            if (double.IsFinite(ci.Lower) && double.IsFinite(ci.Upper))
            {
                // The Harrell-Davis interval is estimate +- z * SE; on small skewed samples it can leave the observed range
                // (e.g. negative retransmits). A median is never outside the range its values span, so clamp to it.
                double lower = Math.Max(ci.Lower, copy.Min()), upper = Math.Min(ci.Upper, copy.Max());
                if (lower != ci.Lower || upper != ci.Upper)
                    notes.Add("The median interval was clamped to the observed range (the sample is small or skewed).");
                interval = new Interval(lower, upper, ConfidenceLevel);
            }
            else
                notes.Add("The median interval could not be computed (the estimator returned a non-finite bound).");
        }
        else
        {
            notes.Add($"n = {n}: the median interval needs at least {StatisticsDefaults.MinimumCountForInterval} values and is left undefined.");
        }

        // mValue is 2 for samples too small to show any shape; Lowland needs two distinct values, which holds here.
        double mValue = MValueCalculator.Calculate(copy);
        if (!double.IsFinite(mValue))
            mValue = 2;
        int modes = LowlandModalityDetector.Instance.DetectModes(sample).Modality;
        bool multimodal = modes > 1 || mValue > StatisticsDefaults.MultimodalMValue;
        if (multimodal)
            notes.Add($"The sample may be multimodal (Lowland modes {modes}, mValue {NumberFormatting.Format(mValue, 3)}); the median hides which mode each trial landed in.");

        return new SampleSummary
        {
            Values = copy,
            Median = Clamp(quartiles.Median, min, max),
            MedianInterval = interval,
            Q1 = Clamp(quartiles.Q1, min, max),
            Q3 = Clamp(quartiles.Q3, min, max),
            Min = min,
            Max = max,
            Mean = Clamp(mean, min, max),
            StandardDeviation = n > 1 ? Math.Sqrt(variance) : null,
            LowerFence = fences.LowerFence,
            UpperFence = fences.UpperFence,
            Outliers = sorted.Where(v => fences.IsLowerOutlier(v) || fences.IsUpperOutlier(v)).ToArray(),
            MValue = mValue,
            Modes = modes,
            IsMultimodal = multimodal,
            Notes = notes,
        };
    }

    /// <summary>Checks the values and returns a private copy (the caller's list may change later).</summary>
    internal static double[] Validate(IReadOnlyList<double> values, string parameterName)
    {
        ArgumentNullException.ThrowIfNull(values, parameterName);
        if (values.Count == 0)
            throw new ArgumentException($"'{parameterName}' is empty: a summary needs at least one trial value.", parameterName);
        var copy = new double[values.Count];
        for (int i = 0; i < copy.Length; i++)
        {
            if (!double.IsFinite(values[i]))
                throw new ArgumentException($"'{parameterName}[{i}]' is {values[i]}: every trial value must be a finite number; leave failed trials out of the sample.", parameterName);
            copy[i] = values[i];
        }
        return copy;
    }

    private SampleSummary SummarizeConstant(double[] copy, int n, List<string> notes)
    {
        // Perfolizer's estimators divide by the spread; a constant sample is summarised exactly instead.
        double value = copy[0];
        notes.Add($"Every value is {NumberFormatting.Format(value)}: the sample has no spread.");
        if (n < StatisticsDefaults.MinimumCountForInterval)
            notes.Add($"n = {n}: the median interval needs at least {StatisticsDefaults.MinimumCountForInterval} values and is left undefined.");
        return new SampleSummary
        {
            Values = copy,
            Median = value,
            MedianInterval = n >= StatisticsDefaults.MinimumCountForInterval ? new Interval(value, value, ConfidenceLevel) : null,
            Q1 = value,
            Q3 = value,
            Min = value,
            Max = value,
            Mean = value,
            StandardDeviation = n > 1 ? 0 : null,
            LowerFence = value,
            UpperFence = value,
            Outliers = [],
            MValue = 2,
            Modes = 1,
            IsMultimodal = false,
            Notes = notes,
        };
    }

    // Harrell-Davis sums weighted order statistics; rounding can leave the result a hair outside [min, max].
    private static double Clamp(double value, double min, double max) => Math.Min(Math.Max(value, min), max);
}
