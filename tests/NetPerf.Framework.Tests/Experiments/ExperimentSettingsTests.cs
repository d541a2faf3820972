using NetPerf.Baselines;
using NetPerf.Experiments;

namespace NetPerf.Tests.Experiments;

public sealed class ExperimentSettingsTests
{
    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData("TRUE", true)]
    [InlineData("True", true)]
    [InlineData("0", false)]
    [InlineData("false", false)]
    [InlineData("yes", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void Ci_and_switches_are_on_for_1_or_true(string? value, bool on)
    {
        Assert.Equal(on, ExperimentSettings.IsOnValue(value));
    }

    [Theory]
    [InlineData("0", true)]
    [InlineData("false", true)]
    [InlineData("FALSE", true)]
    [InlineData("1", false)]
    [InlineData("", false)]
    [InlineData("no", false)]
    public void Confirmation_is_switched_off_only_by_0_or_false(string value, bool off)
    {
        Assert.Equal(off, ExperimentSettings.IsOff(value));
    }

    [Fact]
    public void By_default_regressions_are_confirmed_runs_are_added_and_the_order_seed_is_drawn()
    {
        var settings = new ExperimentSettings("baselines", "results");

        Assert.True(settings.Confirm);
        Assert.False(settings.Replace);
        Assert.Equal(BaselineStore.DefaultKeepRuns, settings.KeepRuns);
        Assert.Null(settings.Seed);
        Assert.False(settings.Ci);
    }
}
