using NetPerf.Experiments;

namespace NetPerf.Tests.Experiments;

public sealed class CellTestbedsTests
{
    private sealed class FakeBed(string name) : IAsyncDisposable
    {
        public string Name { get; } = name;

        public bool Disposed { get; private set; }

        public ValueTask DisposeAsync()
        {
            Disposed = true;
            return ValueTask.CompletedTask;
        }
    }

    [Fact]
    public async Task Both_are_built_and_kept()
    {
        var (cell, control) = await CellTestbeds.BuildBothAsync(
            _ => Task.FromResult(new FakeBed("cell")), _ => Task.FromResult(new FakeBed("control")), TestContext.Current.CancellationToken);

        Assert.Equal("cell", cell.Name);
        Assert.Equal("control", control!.Name);
        Assert.False(cell.Disposed);
        Assert.False(control.Disposed);
    }

    [Fact]
    public async Task Without_a_control_arm_only_the_cell_is_built()
    {
        var (cell, control) = await CellTestbeds.BuildBothAsync(_ => Task.FromResult(new FakeBed("cell")), null, TestContext.Current.CancellationToken);

        Assert.Equal("cell", cell.Name);
        Assert.Null(control);
    }

    [Fact]
    public async Task When_the_control_arm_fails_the_built_cell_testbed_is_removed_and_the_real_cause_thrown()
    {
        var cell = new FakeBed("cell");

        var e = await Assert.ThrowsAsync<InvalidOperationException>(() => CellTestbeds.BuildBothAsync(
            async _ => { await Task.Yield(); return cell; },
            async _ => { await Task.Delay(50, TestContext.Current.CancellationToken); throw new InvalidOperationException("no host network"); },
            TestContext.Current.CancellationToken));

        Assert.Equal("no host network", e.Message);
        Assert.True(cell.Disposed);
    }

    [Fact]
    public async Task A_failing_build_cancels_the_other_and_its_cause_wins_over_the_cancellation()
    {
        var started = new TaskCompletionSource();
        var e = await Assert.ThrowsAsync<ArgumentException>(() => CellTestbeds.BuildBothAsync<FakeBed>(
            async token => { started.SetResult(); await Task.Delay(Timeout.Infinite, token); return new FakeBed("never"); },
            async _ => { await started.Task; throw new ArgumentException("bad MTU"); },
            TestContext.Current.CancellationToken));

        Assert.Equal("bad MTU", e.Message);
    }

    [Fact]
    public async Task A_build_that_throws_before_its_first_await_still_removes_the_other()
    {
        var control = new FakeBed("control");

        await Assert.ThrowsAsync<ArgumentException>(() => CellTestbeds.BuildBothAsync(
            _ => throw new ArgumentException("invalid testbed"),
            async _ => { await Task.Yield(); return control; },
            TestContext.Current.CancellationToken));

        Assert.True(control.Disposed);
    }
}
