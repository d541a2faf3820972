using System.Globalization;
using System.Text;
using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Plan (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>One point of an experiment plan: a scenario run on one driver with one value of every declared axis.</summary>
/// <param name="Scenario">The scenario: the test method name, e.g. <c>Tcp_throughput</c>.</param>
/// <param name="Driver">The name of the container network driver: a <see cref="NetPerf.Driver"/> value's name such as <c>Bridge</c>, or a registered driver's name.</param>
/// <param name="Pairs">The number of client/server pairs running at once (1 when the method declares no pairs axis).</param>
/// <remarks>
/// Optional axes are null when the method does not declare them; they then appear neither in <see cref="CellId"/> nor
/// in <see cref="Traits"/>. <see cref="CellId"/> is the stable key of the cell in baselines and reports: it depends only
/// on the axis values, never on the order attributes were written in.
/// </remarks>
public sealed record ExperimentCell(string Scenario, string Driver, int Pairs)
{
    /// <summary>A cell on a built-in driver.</summary>
    /// <param name="scenario">The scenario: the test method name.</param>
    /// <param name="driver">The driver.</param>
    /// <param name="pairs">The number of client/server pairs.</param>
    public ExperimentCell(string scenario, global::NetPerf.Driver driver, int pairs)
        : this(scenario, driver.ToString(), pairs)
    {
    }

    /// <summary>The full name of the class that declares the scenario, or empty when unknown.</summary>
    public string ScenarioClass { get; init; } = string.Empty;

    /// <summary>The message size in bytes, or null when the method has no message size axis.</summary>
    public int? MessageSizeBytes { get; init; }

    /// <summary>The transport protocol, or null when the method has no protocol axis.</summary>
    public Protocol? Protocol { get; init; }

    /// <summary>The CPU pinning, or null when the method has no pinning axis.</summary>
    public CpuPinning? Pinning { get; init; }

    /// <summary>The number of CPU cores the containers may use, or null when the method has no cores axis.</summary>
    public int? Cores { get; init; }

    /// <summary>How many times the cell is measured (a setting, not an axis), or null for the runner's default.</summary>
    public int? Trials { get; init; }

    /// <summary>Whether the cell is part of the CI suite or of the full-scale suite.</summary>
    public Scale Scale { get; init; } = Scale.Ci;

    /// <summary>The values of axes defined outside NetPerf (see <see cref="Axis"/>), sorted by axis key; empty when the method declares none.</summary>
    public IReadOnlyList<KeyValuePair<Axis, object>> UserAxes { get; init; } = [];

    /// <summary>The stable id of the cell, e.g. <c>driver=Bridge/pairs=10/msg=1024</c>; axes in the order of <see cref="Axis.All"/>.</summary>
    public string CellId => string.Join("/", PresentAxes().Select(p => $"{p.Axis.Key}={Axis.Format(p.Value)}"));

    /// <summary>The cell as a person reads it, e.g. <c>Tcp_throughput(driver: Bridge, pairs: 10, messageSize: 1024 bytes)</c>.</summary>
    public string DisplayName
    {
        get
        {
            var text = new StringBuilder(Scenario).Append('(');
            text.AppendJoin(", ", PresentAxes().Select(p => p.Axis.Unit is null
                ? $"{p.Axis.ParameterName}: {Axis.Format(p.Value)}"
                : $"{p.Axis.ParameterName}: {Axis.Format(p.Value)} {p.Axis.Unit}"));
            return text.Append(')').ToString();
        }
    }

    /// <summary>The traits of the cell: one per present axis (key = <see cref="Axis.Key"/>) and <c>scale</c> (<c>ci</c> or <c>full</c>).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Traits =>
    [
        .. PresentAxes().Select(p => KeyValuePair.Create(p.Axis.Key, Axis.Format(p.Value))),
        KeyValuePair.Create("scale", Scale == Scale.Full ? "full" : "ci"),
    ];

    /// <summary>The value of one axis in this cell.</summary>
    /// <param name="axis">The axis.</param>
    /// <returns>The value (boxed), or null when the cell has no value for an optional axis.</returns>
    public object? ValueOf(Axis axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        if (axis == Axis.Driver)
        {
            return Driver;
        }

        if (axis == Axis.Pairs)
        {
            return Pairs;
        }

        if (axis == Axis.MessageSize)
        {
            return MessageSizeBytes;
        }

        if (axis == Axis.Protocol)
        {
            return Protocol;
        }

        if (axis == Axis.Pinning)
        {
            return Pinning;
        }

        if (axis == Axis.Cores)
        {
            return Cores;
        }

        if (!axis.IsBuiltIn)
        {
            return UserAxes.FirstOrDefault(p => p.Key == axis).Value;
        }

        throw new ArgumentException(string.Create(CultureInfo.InvariantCulture, $"Axis '{axis.Key}' is not known to {nameof(ExperimentCell)}; add it to '{nameof(ValueOf)}'."), nameof(axis));
    }

    /// <inheritdoc />
    public override string ToString() => DisplayName;

    /// <summary>Equal when every member is, the values of <see cref="UserAxes"/> included.</summary>
    /// <param name="other">The other cell.</param>
    /// <returns>True when equal.</returns>
    public bool Equals(ExperimentCell? other) =>
        other is not null
        && Scenario == other.Scenario && Driver == other.Driver && Pairs == other.Pairs && ScenarioClass == other.ScenarioClass
        && MessageSizeBytes == other.MessageSizeBytes && Protocol == other.Protocol && Pinning == other.Pinning
        && Cores == other.Cores && Trials == other.Trials && Scale == other.Scale
        && UserAxes.SequenceEqual(other.UserAxes);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Scenario, Driver, Pairs, ScenarioClass, CellId);

    private IEnumerable<(Axis Axis, object Value)> PresentAxes()
    {
        foreach (var axis in Axis.All)
        {
            if (ValueOf(axis) is { } value)
            {
                yield return (axis, value);
            }
        }

        foreach (var (axis, value) in UserAxes)
        {
            yield return (axis, value);
        }
    }
}
