using System.Globalization;
using NetPerf.Experiments;
using NetPerf.Statistics;

namespace NetPerf.Reports;

/// <summary>How numbers appear in the reports: invariant culture, 4 significant digits, units stated.</summary>
internal static class ReportFormat
{
    public const int Digits = 4;

    public static string Value(double? value, string unit) =>
        value is { } v && double.IsFinite(v) ? $"{NumberFormatting.Format(v, Digits)} {unit}".TrimEnd() : "-";

    public static string Change(double? percent) =>
        percent is { } p && double.IsFinite(p) ? NumberFormatting.FormatChange(1 + p / 100) : "-";

    public static string Interval(double? lower, double? upper, string unit) =>
        lower is { } l && upper is { } u && double.IsFinite(l) && double.IsFinite(u)
            ? $"{NumberFormatting.Format(l, Digits)} to {NumberFormatting.Format(u, Digits)} {unit}".TrimEnd()
            : "-";

    public static string Integer(int value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A percentage without sign, 3 significant digits, e.g. <c>12%</c> or <c>1.85%</c>.</summary>
    public static string Percent(double percent) => NumberFormatting.Format(percent, 3) + "%";

    /// <summary>A gate's tolerance (a fraction) as a percentage, <c>-</c> when there is none.</summary>
    public static string Tolerance(double? fraction) => fraction is { } f && double.IsFinite(f) ? Percent(f * 100) : "-";

    /// <summary>
    /// The smallest regression a gated metric detects: <c>detects &gt;= 12%</c>, or <c>unknown</c> when the comparison
    /// could not estimate it; <c>-</c> for a metric that is not gated or has no baseline to compare with.
    /// </summary>
    public static string Detectable(MetricResult metric) =>
        metric.DetectableChangePercent is { } d && double.IsFinite(d) && metric.Gated
            ? (metric.GatePercent is { } g && metric.Tolerance is { } t && g > t * 100 * (1 + 1e-9) ? $"gate {Percent(g)} (data), " : "") + "detects >= " + Percent(d)
        : !metric.Gated || (metric.BaselineRuns == 0 && metric.BaselineMedian is null) ? "-"
        : "unknown";

    /// <summary>How many runs the baseline holds, <c>-</c> without a baseline (or from a file that does not say).</summary>
    public static string BaselineRuns(MetricResult metric) => metric.BaselineRuns > 0 ? Integer(metric.BaselineRuns) : "-";

    /// <summary>How much the baseline's run medians moved between runs: <c>1.8%</c>, <c>unknown (1 run)</c>, or <c>-</c> without a baseline.</summary>
    public static string BetweenRunSpread(MetricResult metric) =>
        metric.BetweenRunCvPercent is { } cv && double.IsFinite(cv) ? Percent(cv)
        : metric.BaselineRuns == 1 ? "unknown (1 run)"
        : "-";

    /// <summary>Round-trip form for data files: every digit, invariant, NaN and infinities spelled out.</summary>
    public static string Raw(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
