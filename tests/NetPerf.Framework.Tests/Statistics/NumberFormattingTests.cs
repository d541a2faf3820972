using NetPerf.Statistics;

namespace NetPerf.Tests.Statistics;

public class NumberFormattingTests
{
    [Theory]
    [InlineData(17.23456, 17.23)]
    [InlineData(0.000123456, 0.0001235)]
    [InlineData(1234567, 1235000)]
    [InlineData(-0.0, 0)]
    [InlineData(9.99999, 10)]
    public void Rounds_to_four_significant_digits(double value, double expected) =>
        Assert.Equal(expected, NumberFormatting.RoundSignificant(value));

    [Theory]
    [InlineData(0.7, "-30.0%")]
    [InlineData(1.0234, "+2.3%")]
    [InlineData(1.0, "0.0%")]
    [InlineData(0.99999, "0.0%")]
    public void Formats_changes_as_signed_percentages(double ratio, string expected) =>
        Assert.Equal(expected, NumberFormatting.FormatChange(ratio));

    [Theory]
    [InlineData(0.0123, "p = 0.012")]
    [InlineData(0.00001, "p < 0.0001")]
    [InlineData(0.050000000000000044, "p = 0.05")]
    public void Formats_p_values(double p, string expected) => Assert.Equal(expected, NumberFormatting.FormatPValue(p));
}
