namespace NetPerf.Experiments;

/// <summary>
/// Holds at most one idle testbed between cells, so the next cell that asks for the same kind of testbed (the same key)
/// and no more pairs than it has runs on it instead of provisioning its own.
/// </summary>
/// <remarks>
/// <para>
/// A request with a key the idle testbed does not have, or with more pairs than it has, removes the idle testbed first
/// (one idle testbed at a time keeps the machine's containers bounded) and builds a new one with
/// <c>provisionPairs</c> pairs, the largest pair count of the cells expected to share it. A testbed is handed to one
/// cell at a time; a cell gives it back when its trials are done (<see cref="ReturnAsync"/>), or has it removed when
/// they failed (a testbed that failed a cell is not trusted with the next one).
/// </para>
/// <para>
/// The pool removes nothing when the process ends: every testbed stays registered with the <see cref="Testbeds.Reaper"/>
/// until it is disposed, so the reaper removes an idle one at exit or on a signal, and the sweeper removes what a
/// killed run left.
/// </para>
/// </remarks>
/// <typeparam name="T">The testbed type (a fake in unit tests).</typeparam>
internal sealed class TestbedPool<T>
    where T : class, IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private Idle? _idle;

    /// <summary>The key of the idle testbed, or <see langword="null"/> when the pool is empty.</summary>
    public string? IdleKey => _idle?.Key;

    /// <summary>
    /// The idle testbed when it has <paramref name="key"/> and at least <paramref name="pairs"/> pairs; otherwise a new one of
    /// <c>max(pairs, provisionPairs)</c> pairs from <paramref name="build"/>, after the idle one (if any) was removed.
    /// </summary>
    /// <param name="key">What the testbed must be (everything but its pair count; see <see cref="TestbedReuse.KeyOf"/>).</param>
    /// <param name="pairs">The pairs the cell runs on.</param>
    /// <param name="provisionPairs">The pairs to provision when a new testbed is built.</param>
    /// <param name="build">Builds a testbed with the given number of pairs.</param>
    /// <param name="cancellationToken">Cancels the build.</param>
    public async Task<TestbedLease<T>> AcquireAsync(string key, int pairs, int provisionPairs, Func<int, CancellationToken, Task<T>> build, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(build);
        ArgumentOutOfRangeException.ThrowIfLessThan(pairs, 1);
        Idle? replaced;
        await _gate.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            replaced = _idle;
            _idle = null;
        }
        finally
        {
            _gate.Release();
        }

        if (replaced is not null && replaced.Key == key && replaced.Pairs >= pairs)
            return new TestbedLease<T>(replaced.Testbed, key, replaced.Pairs, Reused: true, Problem: null);

        var problem = replaced is null ? null : await DisposeQuietlyAsync(replaced.Testbed).ConfigureAwait(false);
        var provisioned = Math.Max(pairs, provisionPairs);
        var bed = await build(provisioned, cancellationToken).ConfigureAwait(false);
        return new TestbedLease<T>(bed, key, provisioned, Reused: false, Problem: problem);
    }

    /// <summary>Gives a testbed back: kept idle for the next cell when <paramref name="healthy"/>, removed otherwise.</summary>
    /// <exception cref="InvalidOperationException">A testbed that is removed could not remove everything it made.</exception>
    public async Task ReturnAsync(TestbedLease<T> lease, bool healthy)
    {
        ArgumentNullException.ThrowIfNull(lease);
        if (!healthy)
        {
            await lease.Testbed.DisposeAsync().ConfigureAwait(false);
            return;
        }
        Idle? displaced;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            displaced = _idle;
            _idle = new Idle(lease.Key, lease.Testbed, lease.ProvisionedPairs);
        }
        finally
        {
            _gate.Release();
        }
        if (displaced is not null) await displaced.Testbed.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Removes the idle testbed, if any.</summary>
    /// <exception cref="InvalidOperationException">It could not remove everything it made.</exception>
    public async Task ClearAsync()
    {
        Idle? idle;
        await _gate.WaitAsync().ConfigureAwait(false);
        try
        {
            idle = _idle;
            _idle = null;
        }
        finally
        {
            _gate.Release();
        }
        if (idle is not null) await idle.Testbed.DisposeAsync().ConfigureAwait(false);
    }

    /// <summary>Removes a testbed that is no longer wanted; a problem is returned for the cell's warnings, not thrown at an unrelated cell.</summary>
    private static async Task<string?> DisposeQuietlyAsync(T testbed)
    {
        try
        {
            await testbed.DisposeAsync().ConfigureAwait(false);
            return null;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            return $"The idle testbed of earlier cells was removed to make room for this cell's, with a problem (the next run's sweep removes what is left): {e.Message}";
        }
    }

    private sealed record Idle(string Key, T Testbed, int Pairs);
}
