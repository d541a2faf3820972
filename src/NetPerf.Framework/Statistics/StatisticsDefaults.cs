namespace NetPerf.Statistics;

/// <summary>The constants that shape a <see cref="SampleSummary"/>, in one place so a calibration study can change them.</summary>
/// <remarks>The constants that decide verdicts (alpha, tolerance, trial counts) live in <c>NetPerf.Verdicts.VerdictDefaults</c>.</remarks>
internal static class StatisticsDefaults
{
    /// <summary>Confidence level of the median interval (0.95 = 95%).</summary>
    public const double ConfidenceLevel = 0.95;

    /// <summary>
    /// The fewest values for which a median interval is reported. Below it the interval is undefined
    /// (Harrell-Davis with Maritz-Jarrett uses Student's t with n - 1 degrees of freedom; with 2 values it is
    /// twelve standard errors wide, which says nothing).
    /// </summary>
    public const int MinimumCountForInterval = 3;

    /// <summary>Tukey's fence factor: values beyond Q1 - k IQR or Q3 + k IQR are outliers.</summary>
    public const double TukeyFenceFactor = 1.5;

    /// <summary>
    /// The mValue above which a sample is flagged as possibly multimodal (BenchmarkDotNet's convention).
    /// A unimodal sample scores 2.
    /// </summary>
    public const double MultimodalMValue = 3.2;

    /// <summary>Significant digits of numbers written to baseline files and messages.</summary>
    public const int SignificantDigits = 4;
}
