using NetPerf.Testbeds.Drivers;

namespace NetPerf.Plan;

/// <summary>The cells of one scenario and how their values map onto the test method's parameters.</summary>
/// <param name="Scenario">The scenario as <c>Type.Method</c> (or the bare name when no method is bound).</param>
/// <param name="Cells">The cells, the cartesian product of the axes, in the order of <see cref="Axis.All"/> (driver varies slowest), axes of your own last.</param>
/// <param name="ParameterAxes">The axis bound to each method parameter, in parameter order; empty when no method is bound.</param>
internal sealed record ExperimentPlan(string Scenario, IReadOnlyList<ExperimentCell> Cells, IReadOnlyList<Axis> ParameterAxes)
{
    /// <summary>The drivers the cells' driver names refer to: the built-in ones and those the scenario's assembly registers.</summary>
    public DriverRegistry Drivers { get; init; } = DriverRegistry.BuiltIn;

    /// <summary>The type of each method parameter, in parameter order; the <c>driver</c> parameter is <see cref="Driver"/> or <see cref="string"/>.</summary>
    public IReadOnlyList<Type> ParameterTypes { get; init; } = [];

    /// <summary>The arguments to call the bound test method with for one cell.</summary>
    /// <param name="cell">A cell of this plan.</param>
    /// <returns>One value per parameter, in parameter order; the driver as a <see cref="Driver"/> or as its name, as the parameter is declared.</returns>
    public object?[] ArgumentsFor(ExperimentCell cell)
    {
        ArgumentNullException.ThrowIfNull(cell);
        return [.. ParameterAxes.Select((axis, i) => axis == Axis.Driver && i < ParameterTypes.Count && ParameterTypes[i] == typeof(Driver)
            ? Enum.Parse<Driver>(cell.Driver)
            : cell.ValueOf(axis))];
    }

    /// <summary>Finds the cell a test was called with, from the test method arguments.</summary>
    /// <param name="arguments">The arguments, in parameter order.</param>
    /// <returns>The cell, or null when no cell of this plan has these arguments.</returns>
    public ExperimentCell? FindCell(IReadOnlyList<object?> arguments)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        return Cells.FirstOrDefault(cell => ArgumentsFor(cell).SequenceEqual(arguments));
    }
}
