using System.Globalization;
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

    /// <summary>Round-trip form for data files: every digit, invariant, NaN and infinities spelled out.</summary>
    public static string Raw(double value) => value.ToString("R", CultureInfo.InvariantCulture);
}
