namespace NetPerf.Tests.Workloads;

public sealed class WorkloadDurationCapTests
{
    [Theory]
    [InlineData(null, 30, 30)]
    [InlineData("", 30, 30)]
    [InlineData("3", 30, 3)]
    [InlineData("0.5", 30, 0.5)]
    [InlineData("60", 30, 30)]
    public void Cap_shortens_only_longer_durations(string? setting, double seconds, double expected) =>
        Assert.Equal(TimeSpan.FromSeconds(expected), Workload.Cap(TimeSpan.FromSeconds(seconds), setting));

    [Theory]
    [InlineData("0")]
    [InlineData("-3")]
    [InlineData("3s")]
    [InlineData("NaN")]
    [InlineData("Infinity")]
    public void Cap_rejects_what_is_not_a_positive_number_of_seconds(string setting)
    {
        var e = Assert.Throws<ArgumentException>(() => Workload.Cap(TimeSpan.FromSeconds(30), setting));
        Assert.Contains(Workload.MaxDurationVariable, e.Message, StringComparison.Ordinal);
        Assert.Contains("=3", e.Message, StringComparison.Ordinal);
    }
}
