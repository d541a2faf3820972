using System.Runtime.ExceptionServices;
using NetPerf.Testbeds;

namespace NetPerf.Experiments;

/// <summary>
/// The testbeds one measurement of a cell runs on: the cell's own and, with a control arm, the control arm's,
/// provisioned in parallel and removed together.
/// </summary>
/// <remarks>
/// Provisioning both at once halves the wait of a control-arm cell. When one build fails, the other is cancelled and
/// whichever testbed was built is removed before the failure is rethrown, so nothing outlives a failed cell; the
/// exception thrown is the real cause, not the cancellation it led to. A cell that reuses a testbed
/// (<see cref="AcquireAsync"/>, never with a control arm) gets its first pairs from a <see cref="TestbedPool{T}"/> and gives
/// the testbed back instead of removing it.
/// </remarks>
internal sealed class CellTestbeds : IAsyncDisposable
{
    private readonly TestbedPool<Testbed>? _pool;
    private readonly TestbedLease<Testbed>? _lease;
    private bool _healthy;

    private CellTestbeds(TestbedView cell, Testbed? control, TestbedPool<Testbed>? pool = null, TestbedLease<Testbed>? lease = null)
    {
        Cell = cell;
        Control = control;
        _pool = pool;
        _lease = lease;
    }

    /// <summary>The cell's pairs: the whole testbed, or the first pairs of a reused one.</summary>
    public TestbedView Cell { get; }

    /// <summary>The control arm's testbed, or <see langword="null"/> without a control arm.</summary>
    public Testbed? Control { get; }

    /// <summary>True when the cell runs on a testbed an earlier cell ran on.</summary>
    public bool Reused => _lease?.Reused ?? false;

    /// <summary>What went wrong removing the idle testbed this one replaced, or <see langword="null"/>.</summary>
    public string? PoolProblem => _lease?.Problem;

    /// <summary>Builds the cell's testbed and, when <paramref name="control"/> is set, the control arm's, in parallel.</summary>
    /// <exception cref="ArgumentException">A builder's options are invalid (checked for both before anything is provisioned).</exception>
    public static async Task<CellTestbeds> BuildAsync(TestbedBuilder cell, TestbedBuilder? control, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(cell);
        cell.BuildOptions();
        control?.BuildOptions();
        var (built, reference) = await BuildBothAsync(cell.BuildAsync, control is null ? null : control.BuildAsync, cancellationToken).ConfigureAwait(false);
        return new CellTestbeds(built.View(built.Pairs.Count), reference);
    }

    /// <summary>
    /// The cell's pairs on a testbed from <paramref name="pool"/>: the idle one when its <paramref name="key"/> matches and it has
    /// enough pairs, else a new one of <paramref name="provisionPairs"/> pairs. Disposing gives it back to the pool when
    /// <see cref="MarkHealthy"/> was called, and removes it otherwise.
    /// </summary>
    public static async Task<CellTestbeds> AcquireAsync(TestbedPool<Testbed> pool, string key, TestbedBuilder cell, int pairs, int provisionPairs, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentNullException.ThrowIfNull(cell);
        cell.BuildOptions();
        var lease = await pool.AcquireAsync(key, pairs, provisionPairs, (n, ct) => cell.WithPairs(n).BuildAsync(ct), cancellationToken).ConfigureAwait(false);
        try
        {
            return new CellTestbeds(lease.Testbed.View(pairs), null, pool, lease);
        }
        catch
        {
            await pool.ReturnAsync(lease, healthy: false).ConfigureAwait(false);
            throw;
        }
    }

    /// <summary>The trials ran to the end: a pooled testbed may serve the next cell.</summary>
    public void MarkHealthy() => _healthy = true;

    /// <summary>
    /// Runs <paramref name="first"/> and <paramref name="second"/> at once. When one fails the other is cancelled, whatever
    /// was built is disposed, and the first failure that is not the resulting cancellation is rethrown.
    /// </summary>
    internal static async Task<(T First, T? Second)> BuildBothAsync<T>(
        Func<CancellationToken, Task<T>> first,
        Func<CancellationToken, Task<T>>? second,
        CancellationToken cancellationToken)
        where T : class, IAsyncDisposable
    {
        using var abort = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);

        async Task<T?> Build(Func<CancellationToken, Task<T>> build)
        {
            try
            {
                return await build(abort.Token).ConfigureAwait(false);
            }
            catch
            {
                // The other one is of no use without this one; stop building it.
                await abort.CancelAsync().ConfigureAwait(false);
                throw;
            }
        }

        var firstTask = Build(first);
        var secondTask = second is null ? Task.FromResult<T?>(null) : Build(second);
        try
        {
            await Task.WhenAll(firstTask, secondTask).ConfigureAwait(false);
        }
        catch (Exception thrown)
        {
            await DisposeBuiltAsync(firstTask, secondTask).ConfigureAwait(false);
            var cause = new[] { firstTask, secondTask }
                .Where(t => t.IsFaulted)
                .Select(t => t.Exception!.InnerException!)
                .FirstOrDefault(e => e is not OperationCanceledException) ?? thrown;
            ExceptionDispatchInfo.Throw(cause);
        }
        return (firstTask.Result!, secondTask.Result);
    }

    /// <summary>What teardown left because of known engine faults (see <see cref="Testbed.TeardownWarnings"/>), once disposed.</summary>
    public IReadOnlyList<string> TeardownWarnings => [.. new[] { Cell.Testbed, Control }.OfType<Testbed>().SelectMany(b => b.TeardownWarnings)];

    /// <summary>Removes both testbeds in parallel; every problem of both is reported.</summary>
    /// <exception cref="InvalidOperationException">A testbed could not remove everything it made.</exception>
    /// <exception cref="AggregateException">Both could not.</exception>
    public async ValueTask DisposeAsync()
    {
        if (_pool is not null && _lease is not null)
        {
            await _pool.ReturnAsync(_lease, _healthy).ConfigureAwait(false);
            return;
        }
        var removals = new[] { Cell.Testbed, Control }.OfType<Testbed>().Select(b => b.DisposeAsync().AsTask()).ToArray();
        try
        {
            await Task.WhenAll(removals).ConfigureAwait(false);
        }
        catch when (removals.Count(t => t.IsFaulted) > 1)
        {
            throw new AggregateException(removals.Where(t => t.IsFaulted).SelectMany(t => t.Exception!.InnerExceptions));
        }
    }

    private static async Task DisposeBuiltAsync<T>(params Task<T?>[] builds)
        where T : class, IAsyncDisposable
    {
        foreach (var build in builds.Where(t => t.IsCompletedSuccessfully && t.Result is not null))
        {
            try
            {
                await build.Result!.DisposeAsync().ConfigureAwait(false);
            }
            catch (Exception e)
            {
                // Keep the build failure as the cell's error; what could not be removed is named here and swept by the next run.
                await Console.Error.WriteLineAsync($"[netperf] {e.Message}").ConfigureAwait(false);
            }
        }
    }
}
