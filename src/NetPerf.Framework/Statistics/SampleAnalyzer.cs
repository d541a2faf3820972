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

    /// <summary>The smallest spread (max - min) Perfolizer's Lowland modality detector accepts.</summary>
    private const double LowlandMinimumSpread = 1e-9;

    /// <summary>The confidence level of the median interval.</summary>
    public double ConfidenceLevel { get; }

    /// <summary>Summarises <paramref name="values"/>.</summary>
    /// <param name="values">The trial values; at least one, all finite.</param>
    /// <exception cref="ArgumentException">The list is empty or holds NaN or an infinity.</exception>
    public SampleSummary Summarize(IReadOnlyList<double> values)
    {
        var copy = Validate(values, nameof(values));
        var notes = new List<string>();
        var (centre, sorted, sample, quartiles) = Centre(copy, notes);
        int n = copy.Length;
        if (sample is null || quartiles is not { } q)
            return SummarizeConstant(centre, n, notes);

        var fences = TukeyOutlierDetector.Create(q, StatisticsDefaults.TukeyFenceFactor);
        double mean = copy.Average();
        double variance = n > 1 ? copy.Sum(v => (v - mean) * (v - mean)) / (n - 1) : 0;

        // mValue is 2 for samples too small to show any shape. Lowland refuses a sample whose spread is under 1e-9 (an
        // absolute limit: e.g. interval ends of 1.999993 s that differ in the last bits); such a sample has one mode.
        double mValue = MValueCalculator.Calculate(copy);
        if (!double.IsFinite(mValue))
            mValue = 2;
        int modes = sorted[^1] - sorted[0] < LowlandMinimumSpread ? 1 : LowlandModalityDetector.Instance.DetectModes(sample).Modality;
        bool multimodal = modes > 1 || mValue > StatisticsDefaults.MultimodalMValue;
        if (multimodal)
            notes.Add($"The sample may be multimodal (Lowland modes {modes}, mValue {NumberFormatting.Format(mValue, 3)}); the median hides which mode each trial landed in.");

        return new SampleSummary
        {
            Values = copy,
            Median = centre.Median,
            MedianInterval = centre.MedianInterval,
            Q1 = centre.Q1,
            Q3 = centre.Q3,
            Min = centre.Min,
            Max = centre.Max,
            Mean = Clamp(mean, centre.Min, centre.Max),
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

    /// <summary>
    /// The centre of <paramref name="values"/> alone: the same median, median interval, quartiles, min and max as
    /// <see cref="Summarize"/> gives, without the shape (mean, spread, outliers, mValue, modes).
    /// </summary>
    /// <remarks>
    /// For a baseline file, which stores only these (<c>BaselineSummary</c>): the shape costs most of a summary's time
    /// (the Lowland detector and the mValue build histograms of many Harrell-Davis quantiles), and reading a baseline of
    /// 1,600 metrics summarised each of them.
    /// </remarks>
    /// <param name="values">The trial values; at least one, all finite.</param>
    /// <exception cref="ArgumentException">The list is empty or holds NaN or an infinity.</exception>
    public SampleCentre SummarizeCentre(IReadOnlyList<double> values) => Centre(Validate(values, nameof(values)), []).Centre;

    /// <summary>
    /// The centre of a validated copy, adding to <paramref name="notes"/> why an interval is missing or clamped (and, for a
    /// constant sample, that it has no spread); the Perfolizer sample and quartiles are <see langword="null"/> for a constant one.
    /// </summary>
    private (SampleCentre Centre, double[] Sorted, Sample? Sample, Quartiles? Quartiles) Centre(double[] copy, List<string> notes)
    {
        var sorted = copy.Order().ToArray();
        int n = copy.Length;
        double min = sorted[0], max = sorted[^1];

        if (min == max)
        {
            // Perfolizer's estimators divide by the spread; a constant sample is summarised exactly instead.
            double value = copy[0];
            notes.Add($"Every value is {NumberFormatting.Format(value)}: the sample has no spread.");
            if (n < StatisticsDefaults.MinimumCountForInterval)
                notes.Add($"n = {n}: the median interval needs at least {StatisticsDefaults.MinimumCountForInterval} values and is left undefined.");
            var interval = n >= StatisticsDefaults.MinimumCountForInterval ? new Interval(value, value, ConfidenceLevel) : null;
            return (new SampleCentre(copy, value, interval, value, value, value, value), sorted, null, null);
        }

        var sample = new Sample(copy);
        var estimator = HarrellDavisQuantileEstimator.Instance;
        var quartiles = Quartiles.Create(sample, estimator);

        Interval? medianInterval = null;
        if (n >= StatisticsDefaults.MinimumCountForInterval)
        {
            var ci = estimator.QuantileConfidenceIntervalEstimator(sample, Probability.Half).ConfidenceInterval(new ConfidenceLevel(ConfidenceLevel));
            if (double.IsFinite(ci.Lower) && double.IsFinite(ci.Upper))
            {
                // The Harrell-Davis interval is estimate +- z * SE; on small skewed samples it can leave the observed range
                // (e.g. negative retransmits). A median is never outside the range its values span, so clamp to it.
                double lower = Math.Max(ci.Lower, min), upper = Math.Min(ci.Upper, max);
                if (lower != ci.Lower || upper != ci.Upper)
                    notes.Add("The median interval was clamped to the observed range (the sample is small or skewed).");
                medianInterval = new Interval(lower, upper, ConfidenceLevel);
            }
            else
                notes.Add("The median interval could not be computed (the estimator returned a non-finite bound).");
        }
        else
        {
            notes.Add($"n = {n}: the median interval needs at least {StatisticsDefaults.MinimumCountForInterval} values and is left undefined.");
        }

        var centre = new SampleCentre(copy, Clamp(quartiles.Median, min, max), medianInterval, Clamp(quartiles.Q1, min, max), Clamp(quartiles.Q3, min, max), min, max);
        return (centre, sorted, sample, quartiles);
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

    private static SampleSummary SummarizeConstant(SampleCentre centre, int n, List<string> notes)
    {
        double value = centre.Median;
        return new SampleSummary
        {
            Values = centre.Values,
            Median = value,
            MedianInterval = centre.MedianInterval,
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
