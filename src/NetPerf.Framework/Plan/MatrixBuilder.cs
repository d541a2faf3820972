using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;

namespace NetPerf.Plan;

/// <summary>
/// Builds the cells of a scenario, the cartesian product of its axes, and checks the declaration first.
/// </summary>
/// <remarks>
/// Immutable: every <c>With</c> method returns a new builder. <see cref="Validate"/> collects EVERY error (values that
/// are not positive, duplicates, undefined enum values, an axis declared twice, an axis with no parameter of its name,
/// a parameter no axis supplies, a parameter of the wrong type) so an author fixes them in one pass;
/// <see cref="Build"/> throws <see cref="PlanValidationException"/> carrying all of them. Each message names the
/// method as <c>'Type.Method'</c> and says the fix. The pairs axis is optional (cells then have 1 pair); every other
/// declared axis needs its parameter. The trial count is a setting (<see cref="WithTrials"/>), not an axis.
/// </remarks>
public sealed class MatrixBuilder
{
    private readonly MethodInfo? _method;
    private readonly ImmutableList<AxisValues> _axes;

    private MatrixBuilder(string scenarioClass, string scenario, MethodInfo? method, ImmutableList<AxisValues> axes, int? trials, Scale scale)
    {
        ScenarioClass = scenarioClass;
        Scenario = scenario;
        _method = method;
        _axes = axes;
        Trials = trials;
        Scale = scale;
    }

    /// <summary>The full name of the declaring class, or empty.</summary>
    public string ScenarioClass { get; }

    /// <summary>The scenario (method) name.</summary>
    public string Scenario { get; }

    /// <summary>The trial count set with <see cref="WithTrials"/>, or null for the runner's default.</summary>
    public int? Trials { get; }

    /// <summary>The suite the cells belong to.</summary>
    public Scale Scale { get; }

    /// <summary>The axes declared so far, in declaration order.</summary>
    public IReadOnlyList<AxisValues> Axes => _axes;

    /// <summary>The name used in messages: <c>Type.Method</c>.</summary>
    public string Owner => _method?.DeclaringType is { } type ? $"{type.Name}.{Scenario}" : Scenario;

    /// <summary>Starts a plan for a test method; its parameters are checked against the axes by name and type.</summary>
    /// <param name="method">The test method.</param>
    /// <returns>A builder with no axes.</returns>
    public static MatrixBuilder For(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        return new MatrixBuilder(method.DeclaringType?.FullName ?? string.Empty, method.Name, method, [], null, Scale.Ci);
    }

    /// <summary>Starts a plan that is not bound to a method (e.g. for a tool that lists cells); no parameters are checked.</summary>
    /// <param name="scenario">The scenario name.</param>
    /// <returns>A builder with no axes.</returns>
    public static MatrixBuilder For(string scenario)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scenario);
        return new MatrixBuilder(string.Empty, scenario, null, [], null, Scale.Ci);
    }

    /// <summary>Adds the values of one axis.</summary>
    /// <param name="axis">The values and their declaration.</param>
    /// <returns>A new builder.</returns>
    public MatrixBuilder WithAxis(AxisValues axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        return new MatrixBuilder(ScenarioClass, Scenario, _method, _axes.Add(axis), Trials, Scale);
    }

    /// <summary>Sets how many times each cell is measured.</summary>
    /// <param name="trials">The trial count; 1 or more (checked by <see cref="Validate"/>).</param>
    /// <returns>A new builder.</returns>
    public MatrixBuilder WithTrials(int trials) => new(ScenarioClass, Scenario, _method, _axes, trials, Scale);

    /// <summary>Sets the suite the cells belong to.</summary>
    /// <param name="scale">The scale.</param>
    /// <returns>A new builder.</returns>
    public MatrixBuilder WithScale(Scale scale) => new(ScenarioClass, Scenario, _method, _axes, Trials, scale);

    /// <summary>Checks the declaration.</summary>
    /// <returns>Every error found, empty when the plan is valid.</returns>
    public IReadOnlyList<string> Validate()
    {
        var errors = new List<string>();
        var owner = Owner;

        foreach (var group in _axes.GroupBy(a => a.Axis).Where(g => g.Count() > 1))
        {
            errors.Add($"'{owner}' declares the '{group.Key.Key}' axis more than once, by {string.Join(" and ", group.Select(a => a.DeclaredBy))}; keep one of them");
        }

        if (_axes.All(a => a.Axis != Axis.Driver))
        {
            errors.Add($"'{owner}' has no drivers; list them in [DriverTheory(Driver.Bridge, ...)]");
        }

        foreach (var declaration in _axes)
        {
            CheckValues(owner, declaration, errors);
        }

        if (Trials is <= 0)
        {
            errors.Add(string.Create(CultureInfo.InvariantCulture, $"'{owner}' has [Trials({Trials})]; the trial count must be 1 or more"));
        }

        if (_method is not null)
        {
            CheckParameters(owner, _method, errors);
        }

        return errors;
    }

    /// <summary>Checks the declaration and builds the cells.</summary>
    /// <returns>The plan: every combination of the axis values.</returns>
    /// <exception cref="PlanValidationException">The declaration has errors; all of them are listed.</exception>
    public ExperimentPlan Build()
    {
        var errors = Validate();
        if (errors.Count > 0)
        {
            throw new PlanValidationException(Owner, errors);
        }

        var valuesByAxis = _axes.ToDictionary(a => a.Axis, a => a.Values);
        IEnumerable<ExperimentCell> cells = [new ExperimentCell(Scenario, default, 1) { ScenarioClass = ScenarioClass, Trials = Trials, Scale = Scale }];
        foreach (var axis in Axis.All)
        {
            if (valuesByAxis.TryGetValue(axis, out var values))
            {
                var outer = cells;
                cells = outer.SelectMany(cell => values.Select(value => With(cell, axis, value)));
            }
        }

        var parameterAxes = _method is null
            ? []
            : _method.GetParameters().Select(p => Axis.All.First(a => a.ParameterName == p.Name)).ToList();
        return new ExperimentPlan(Owner, cells.ToList(), parameterAxes);
    }

    private static ExperimentCell With(ExperimentCell cell, Axis axis, object value)
    {
        if (axis == Axis.Driver)
        {
            return cell with { Driver = (Driver)value };
        }

        if (axis == Axis.Pairs)
        {
            return cell with { Pairs = (int)value };
        }

        if (axis == Axis.MessageSize)
        {
            return cell with { MessageSizeBytes = (int)value };
        }

        if (axis == Axis.Protocol)
        {
            return cell with { Protocol = (Protocol)value };
        }

        if (axis == Axis.Pinning)
        {
            return cell with { Pinning = (CpuPinning)value };
        }

        if (axis == Axis.Cores)
        {
            return cell with { Cores = (int)value };
        }

        throw new ArgumentException($"Axis '{axis.Key}' is not known to {nameof(MatrixBuilder)}; add it to '{nameof(With)}'.", nameof(axis));
    }

    private static void CheckValues(string owner, AxisValues declaration, List<string> errors)
    {
        var axis = declaration.Axis;
        foreach (var problem in declaration.Problems)
        {
            errors.Add($"'{owner}' has {problem}");
        }

        if (declaration.Values.Count == 0 && declaration.Problems.Count == 0)
        {
            errors.Add($"'{owner}' has {declaration.DeclaredBy} with no values; list at least one value or remove the attribute");
        }

        var seen = new HashSet<object>();
        var reported = new HashSet<object>();
        foreach (var value in declaration.Values)
        {
            var text = Axis.Format(value);
            if (value.GetType() != axis.ValueType)
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value '{text}' of type '{value.GetType().Name}'; the '{axis.Key}' axis takes '{axis.TypeName}' values");
                continue;
            }

            if (axis.ValueType.IsEnum && !Enum.IsDefined(axis.ValueType, value))
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value {text}, which is not a defined {axis.ValueType.Name}; use one of {string.Join(", ", Enum.GetNames(axis.ValueType))}");
            }

            if (axis.MustBePositive && (int)value <= 0)
            {
                var unit = axis.Unit is null ? string.Empty : $" ({axis.Unit})";
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value {text}; '{axis.ParameterName}' must be 1 or more{unit}; remove or raise it");
            }

            if (!seen.Add(value) && reported.Add(value))
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value {text} more than once; remove the duplicate");
            }
        }
    }

    private void CheckParameters(string owner, MethodInfo method, List<string> errors)
    {
        var parameters = method.GetParameters();
        foreach (var declaration in _axes.DistinctBy(a => a.Axis))
        {
            var axis = declaration.Axis;
            var parameter = parameters.FirstOrDefault(p => p.Name == axis.ParameterName);
            if (parameter is null)
            {
                errors.Add($"'{owner}' has {AttributeOf(declaration)} but no parameter named '{axis.ParameterName}' ({axis.TypeName}); add the parameter or remove the attribute");
            }
            else if (parameter.ParameterType != axis.ValueType)
            {
                errors.Add($"'{owner}' has parameter '{parameter.Name}' of type '{parameter.ParameterType.Name}', but {AttributeOf(declaration)} supplies '{axis.TypeName}'; declare it as '{axis.TypeName} {axis.ParameterName}'");
            }
        }

        foreach (var parameter in parameters)
        {
            var axis = Axis.All.FirstOrDefault(a => a.ParameterName == parameter.Name);
            if (axis is not null)
            {
                if (_axes.All(a => a.Axis != axis))
                {
                    var attributes = axis == Axis.Pairs ? "[Pairs(...)] or [PairsRange(...)]" : $"[{axis.AttributeName}(...)]";
                    errors.Add($"'{owner}' has parameter '{parameter.Name}' but no attribute supplies it; add {attributes} or remove the parameter");
                }

                continue;
            }

            if (string.Equals(parameter.Name, "trials", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"'{owner}' has parameter '{parameter.Name}', but trials are a setting, not an axis; remove the parameter and set the count with [Trials(n)]");
                continue;
            }

            var nearMiss = Axis.All.FirstOrDefault(a => string.Equals(a.ParameterName, parameter.Name, StringComparison.OrdinalIgnoreCase));
            var hint = nearMiss is null ? string.Empty : $" (did you mean '{nearMiss.ParameterName}'?)";
            var known = string.Join(", ", Axis.All.Select(a => $"{a.ParameterName} ({a.TypeName})"));
            errors.Add($"'{owner}' has parameter '{parameter.Name}' that no axis supplies{hint}; axes bind to parameters by name: {known}; rename or remove the parameter");
        }
    }

    // "[MessageSizes(64, 1024)]" -> "[MessageSizes]": parameter messages are about the attribute, not its values.
    private static string AttributeOf(AxisValues declaration)
    {
        var text = declaration.DeclaredBy;
        var paren = text.IndexOf('(', StringComparison.Ordinal);
        return text.StartsWith('[') && paren > 0 ? text[..paren] + "]" : text;
    }
}
