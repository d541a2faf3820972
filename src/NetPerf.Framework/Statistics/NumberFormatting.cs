using System.Globalization;

namespace NetPerf.Statistics;

/// <summary>Rounds and prints numbers the same way in every file and message: invariant culture, significant digits.</summary>
internal static class NumberFormatting
{
    /// <summary>Rounds to <paramref name="digits"/> significant digits; -0 becomes 0.</summary>
    public static double RoundSignificant(double value, int digits = StatisticsDefaults.SignificantDigits)
    {
        if (!double.IsFinite(value) || value == 0)
            return value == 0 ? 0 : value;

        // The "G" format rounds in decimal, so parsing it back yields the double nearest to the rounded
        // decimal, which the shortest round-trip printer then writes with at most 'digits' digits.
        var rounded = double.Parse(value.ToString("G" + digits, CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return rounded == 0 ? 0 : rounded;
    }

    /// <summary>Prints a value rounded to <paramref name="digits"/> significant digits, invariant culture.</summary>
    public static string Format(double value, int digits = StatisticsDefaults.SignificantDigits) =>
        RoundSignificant(value, digits).ToString(CultureInfo.InvariantCulture);

    /// <summary>Prints a relative change (ratio - 1) as a signed percentage with one decimal, e.g. <c>-30.2%</c>.</summary>
    public static string FormatChange(double ratio)
    {
        var percent = Math.Round((ratio - 1) * 100, 1, MidpointRounding.AwayFromZero);
        if (percent == 0)
            return "0.0%";
        return (percent > 0 ? "+" : "") + percent.ToString("0.0", CultureInfo.InvariantCulture) + "%";
    }

    /// <summary>Prints a fraction as a percentage without sign, e.g. 0.05 as <c>5%</c>.</summary>
    public static string FormatPercent(double fraction) => Format(fraction * 100, 3) + "%";

    /// <summary>Prints a p-value as <c>p = 0.012</c> (2 significant digits), or <c>p &lt; 0.0001</c> when tiny.</summary>
    public static string FormatPValue(double p) =>
        p < 0.0001 ? "p < 0.0001" : "p = " + RoundSignificant(p, 2).ToString("0.####", CultureInfo.InvariantCulture);
}
