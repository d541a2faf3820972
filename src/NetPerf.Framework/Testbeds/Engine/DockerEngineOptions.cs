namespace NetPerf.Testbeds.Engine;

/// <summary>How a <see cref="DockerEngine"/> talks to the engine.</summary>
/// <remarks>
/// The defaults suit a local engine driven by a testbed that creates up to a few hundred containers
/// in parallel. Change them with <c>with</c>: <c>new DockerEngineOptions { CallTimeout = TimeSpan.FromSeconds(120) }</c>.
/// </remarks>
public sealed record DockerEngineOptions
{
    /// <summary>The longest any single engine call (create, start, inspect, remove, list) may take; 60 s by default.</summary>
    /// <remarks>Exec calls are bounded by the timeout passed to <see cref="DockerEngine.ExecAsync"/> instead.</remarks>
    public TimeSpan CallTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>How many connections may be open to the engine at once; 256 by default.</summary>
    /// <remarks>
    /// Every running exec holds one connection until its command exits, so this bounds how many
    /// commands can run at once; calls beyond it wait for a free connection.
    /// </remarks>
    public int MaxConnections { get; init; } = 256;
}
