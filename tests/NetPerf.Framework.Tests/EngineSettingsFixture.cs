using NetPerf.Testbeds.Engine;

[assembly: AssemblyFixture(typeof(NetPerf.Tests.EngineSettingsFixture))]

namespace NetPerf.Tests;

/// <summary>
/// Speaks to the engine once before any test runs, so the API version NetPerf negotiates reaches Testcontainers before
/// Testcontainers first reads its settings (once per process). Without it, a unit test that builds a Testcontainers wait
/// strategy before any engine call (OwnContainerTests does) fixed Testcontainers at its default API 1.44, and every later
/// engine test failed against this machine's Docker 20.10 (API 1.41) with "client version 1.44 is too new" whenever that
/// unit test happened to run first. Without an engine nothing happens: the engine tests skip or fail on their own.
/// </summary>
public sealed class EngineSettingsFixture : IAsyncLifetime
{
    /// <inheritdoc />
    public async ValueTask InitializeAsync()
    {
        using var engine = TestcontainersEngine.FromEnvironment();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        try
        {
            await engine.GetInfoAsync(timeout.Token);
        }
        catch (Exception e) when (e is EngineException or TimeoutException or OperationCanceledException or ArgumentException)
        {
        }
    }

    /// <inheritdoc />
    public ValueTask DisposeAsync() => ValueTask.CompletedTask;
}
