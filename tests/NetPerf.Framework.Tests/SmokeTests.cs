namespace NetPerf.Tests;

public class SmokeTests
{
    [Fact]
    public void Direction_has_two_values() => Assert.Equal(2, Enum.GetValues<Direction>().Length);
}
