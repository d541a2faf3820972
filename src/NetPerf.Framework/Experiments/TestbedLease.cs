namespace NetPerf.Experiments;

/// <summary>A testbed handed to one cell by a <see cref="TestbedPool{T}"/>.</summary>
/// <typeparam name="T">The testbed type.</typeparam>
/// <param name="Testbed">The testbed.</param>
/// <param name="Key">What it is (everything but its pair count).</param>
/// <param name="ProvisionedPairs">How many pairs it has; the cell uses the first of them.</param>
/// <param name="Reused">True when an earlier cell ran on it.</param>
/// <param name="Problem">What went wrong removing the idle testbed this one replaced, or <see langword="null"/>.</param>
internal sealed record TestbedLease<T>(T Testbed, string Key, int ProvisionedPairs, bool Reused, string? Problem)
    where T : class, IAsyncDisposable;
