using NetPerf.Plan;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The placements of each pair's containers on nodes to measure; one cell per placement.</summary>
/// <remarks>Use with <see cref="DriverTheoryAttribute"/> and a <c>Placement placement</c> parameter:
/// <c>[Placements(Placement.SameNode, Placement.AcrossNodes)]</c>. A cell placed across nodes is skipped, with the reason,
/// where no second node can be had.</remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
public sealed class PlacementsAttribute : Attribute, IAxisAttribute
{
    /// <summary>Declares the placements.</summary>
    /// <param name="placements">The placements, each once.</param>
    public PlacementsAttribute(params Placement[] placements) => Placements = placements ?? [];

    /// <summary>The axis: key <c>placement</c>, bound to a <c>Placement placement</c> parameter.</summary>
    public static Axis Axis { get; } = new("placement", "placement", typeof(Placement), "Placements");

    /// <summary>The declared placements.</summary>
    public IReadOnlyList<Placement> Placements { get; }

    /// <inheritdoc />
    public AxisValues ToAxisValues() => AxisValues.Of(Axis, Placements);

    /// <summary>The placement of a cell: its value of this axis, or <see cref="Placement.SameNode"/> when it has none.</summary>
    internal static Placement Of(ExperimentCell cell) =>
        cell.UserAxes.FirstOrDefault(a => a.Key == Axis).Value is Placement p ? p : Placement.SameNode;
}
