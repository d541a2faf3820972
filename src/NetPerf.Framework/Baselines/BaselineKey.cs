namespace NetPerf.Baselines;

/// <summary>Identifies one baseline: the testbed it was measured on, the scenario, and the cell within it.</summary>
/// <param name="Testbed">The testbed name (see <see cref="EnvironmentFingerprint.TestbedName"/>).</param>
/// <param name="Scenario">The scenario, e.g. the test class name <c>ThroughputScenarios</c>.</param>
/// <param name="Cell">The cell: the test and its axis values, e.g. <c>Tcp_throughput/driver=Bridge/pairs=10</c>.</param>
internal sealed record BaselineKey(string Testbed, string Scenario, string Cell)
{
    /// <summary>The testbed name.</summary>
    public string Testbed { get; init; } = NotEmpty(Testbed, nameof(Testbed));

    /// <summary>The scenario.</summary>
    public string Scenario { get; init; } = NotEmpty(Scenario, nameof(Scenario));

    /// <summary>The cell.</summary>
    public string Cell { get; init; } = NotEmpty(Cell, nameof(Cell));

    /// <inheritdoc />
    public override string ToString() => $"{Testbed}/{Scenario}/{Cell}";

    private static string NotEmpty(string value, string name) =>
        string.IsNullOrWhiteSpace(value) ? throw new ArgumentException($"The baseline key needs a non-empty '{name}'.", name) : value;
}
