namespace NetPerf.Tests.Workloads;

public class ElephantMiceDrawTests
{
    [Fact]
    public void Same_seed_gives_the_same_elephants()
    {
        Assert.Equal(ElephantMiceWorkload.DrawElephants(10, 0.2, 7), ElephantMiceWorkload.DrawElephants(10, 0.2, 7));
    }

    [Theory]
    [InlineData(10, 0.2, 2)]
    [InlineData(4, 0.2, 1)]
    [InlineData(1, 0.2, 1)]
    [InlineData(8, 0.5, 4)]
    [InlineData(5, 0.0, 0)]
    [InlineData(5, 1.0, 5)]
    public void The_fraction_is_respected(int pairs, double fraction, int elephants)
    {
        for (var seed = 0; seed < 20; seed++)
            Assert.Equal(elephants, ElephantMiceWorkload.DrawElephants(pairs, fraction, seed).Count(e => e));
    }

    [Fact]
    public void Different_seeds_pick_different_pairs()
    {
        var draws = Enumerable.Range(0, 20).Select(s => string.Concat(ElephantMiceWorkload.DrawElephants(10, 0.2, s).Select(e => e ? 'E' : 'm'))).Distinct();
        Assert.True(draws.Count() > 5);
    }
}
