using NetPerf.Experiments;

namespace NetPerf.Tests.Experiments;

public sealed class TrialOrderTests
{
    private static string Flip(int seed, int trials)
    {
        var order = new TrialOrder(seed);
        for (var i = 0; i < trials; i++) order.NextControlFirst();
        return order.Letters;
    }

    [Fact]
    public void The_same_seed_gives_the_same_order_so_a_run_can_be_replayed()
    {
        Assert.Equal(Flip(42, 20), Flip(42, 20));
        Assert.Equal(20, Flip(42, 20).Length);
        Assert.All(Flip(42, 20), c => Assert.Contains(c, "CT"));
    }

    [Fact]
    public void The_order_for_a_seed_is_pinned_across_runtimes()
    {
        // A seed logged in a cell's facts must replay the same order on a later SDK; the seeded Random guarantees it.
        Assert.Equal(PinnedOrderOfSeed12345, Flip(12345, 16));
    }

    [Fact]
    public void Another_seed_gives_another_order()
    {
        Assert.NotEqual(Flip(42, 32), Flip(43, 32));
    }

    [Fact]
    public void Each_arm_goes_first_about_half_the_time()
    {
        var controlFirst = Flip(7, 1000).Count(c => c == 'C');

        Assert.InRange(controlFirst, 420, 580);
    }

    [Fact]
    public void The_letter_recorded_is_the_order_returned()
    {
        var order = new TrialOrder(3);
        var returned = string.Concat(Enumerable.Range(0, 12).Select(_ => order.NextControlFirst() ? 'C' : 'T'));

        Assert.Equal(returned, order.Letters);
        Assert.Equal(3, order.Seed);
    }

    [Fact]
    public void The_confirmation_uses_the_next_seed_and_wraps_at_the_top()
    {
        Assert.Equal(6, TrialOrder.ConfirmationSeed(5));
        Assert.Equal(0, TrialOrder.ConfirmationSeed(int.MaxValue));
        Assert.NotEqual(Flip(5, 32), Flip(TrialOrder.ConfirmationSeed(5), 32));
    }

    [Fact]
    public void A_new_seed_is_never_negative()
    {
        Assert.All(Enumerable.Range(0, 100).Select(_ => TrialOrder.NewSeed()), s => Assert.True(s >= 0));
    }

    private const string PinnedOrderOfSeed12345 = "CCTTTTCTCTCCCCCT";
}
