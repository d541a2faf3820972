using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using NetPerf.Testbeds.Drivers;

namespace NetPerf.Plan;

/// <summary>
/// Builds the cells of a scenario, the cartesian product of its axes, and checks the declaration first.
/// </summary>
/// <remarks>
/// Immutable: every <c>With</c> method returns a new builder. <see cref="Validate"/> collects EVERY error (values that
/// are not positive, duplicates, undefined enum values, unknown driver names, an axis declared twice, an axis with no
/// parameter of its name, a parameter no axis supplies, a parameter of the wrong type, an axis of your own whose key,
/// parameter or value type cannot work) so an author fixes them in one pass; <see cref="Build"/> throws
/// <see cref="PlanValidationException"/> carrying all of them. Each message names the method as <c>'Type.Method'</c>
/// and says the fix. The pairs axis is optional (cells then have 1 pair); every other declared axis needs its
/// parameter. The trial count is a setting (<see cref="WithTrials"/>), not an axis.
/// <para>
/// Drivers are listed as <see cref="Driver"/> values or by name (<see cref="string"/>); names are looked up in the
/// registry given to <see cref="WithDrivers"/> (default <see cref="DriverRegistry.BuiltIn"/>). The <c>driver</c>
/// parameter is <see cref="Driver"/> when every listed driver is built in, or <see cref="string"/> (the name), which
/// takes any driver.
/// </para>
/// </remarks>
internal sealed class MatrixBuilder
{
    // The value types a test case can carry through xUnit's serialisation (needed for preEnumerateTheories).
    private static readonly Type[] AxisValueTypes = [typeof(string), typeof(int), typeof(long), typeof(double), typeof(bool)];

    private readonly MethodInfo? _method;
    private readonly ImmutableList<AxisValues> _axes;

    private MatrixBuilder(string scenarioClass, string scenario, MethodInfo? method, ImmutableList<AxisValues> axes, int? trials, Scale scale, DriverRegistry drivers)
    {
        ScenarioClass = scenarioClass;
        Scenario = scenario;
        _method = method;
        _axes = axes;
        Trials = trials;
        Scale = scale;
        Drivers = drivers;
    }

    /// <summary>The full name of the declaring class, or empty.</summary>
    public string ScenarioClass { get; }

    /// <summary>The scenario (method) name.</summary>
    public string Scenario { get; }

    /// <summary>The trial count set with <see cref="WithTrials"/>, or null for the runner's default.</summary>
    public int? Trials { get; }

    /// <summary>The suite the cells belong to.</summary>
    public Scale Scale { get; }

    /// <summary>The drivers that driver names are looked up in.</summary>
    public DriverRegistry Drivers { get; }

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
        return new MatrixBuilder(method.DeclaringType?.FullName ?? string.Empty, method.Name, method, [], null, Scale.Ci, DriverRegistry.BuiltIn);
    }

    /// <summary>Starts a plan that is not bound to a method (e.g. for a tool that lists cells); no parameters are checked.</summary>
    /// <param name="scenario">The scenario name.</param>
    /// <returns>A builder with no axes.</returns>
    public static MatrixBuilder For(string scenario)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(scenario);
        return new MatrixBuilder(string.Empty, scenario, null, [], null, Scale.Ci, DriverRegistry.BuiltIn);
    }

    /// <summary>Adds the values of one axis.</summary>
    /// <param name="axis">The values and their declaration.</param>
    /// <returns>A new builder.</returns>
    public MatrixBuilder WithAxis(AxisValues axis)
    {
        ArgumentNullException.ThrowIfNull(axis);
        return new MatrixBuilder(ScenarioClass, Scenario, _method, _axes.Add(axis), Trials, Scale, Drivers);
    }

    /// <summary>Sets how many times each cell is measured.</summary>
    /// <param name="trials">The trial count; 1 or more (checked by <see cref="Validate"/>).</param>
    /// <returns>A new builder.</returns>
    public MatrixBuilder WithTrials(int trials) => new(ScenarioClass, Scenario, _method, _axes, trials, Scale, Drivers);

    /// <summary>Sets the suite the cells belong to.</summary>
    /// <param name="scale">The scale.</param>
    /// <returns>A new builder.</returns>
    public MatrixBuilder WithScale(Scale scale) => new(ScenarioClass, Scenario, _method, _axes, Trials, scale, Drivers);

    /// <summary>Sets the drivers that driver names are looked up in (the built-in ones and those the scenario's assembly registers).</summary>
    /// <param name="drivers">The registry.</param>
    /// <returns>A new builder.</returns>
    public MatrixBuilder WithDrivers(DriverRegistry drivers) =>
        new(ScenarioClass, Scenario, _method, _axes, Trials, Scale, drivers ?? throw new ArgumentNullException(nameof(drivers)));

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
            errors.Add($"'{owner}' has no drivers; list them with [DriverTheory] and [Drivers(Driver.Bridge, ...)]");
        }

        foreach (var declaration in _axes.Where(a => !a.Axis.IsBuiltIn).DistinctBy(a => a.Axis))
        {
            CheckUserAxis(owner, declaration, errors);
        }

        foreach (var declaration in _axes)
        {
            if (declaration.Axis == Axis.Driver)
            {
                CheckDrivers(owner, declaration, errors);
            }
            else
            {
                CheckValues(owner, declaration, errors);
            }
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
        IEnumerable<ExperimentCell> cells = [new ExperimentCell(Scenario, string.Empty, 1) { ScenarioClass = ScenarioClass, Trials = Trials, Scale = Scale }];
        foreach (var axis in AxesInCellOrder())
        {
            if (valuesByAxis.TryGetValue(axis, out var values))
            {
                var outer = cells;
                cells = outer.SelectMany(cell => values.Select(value => With(cell, axis, value)));
            }
        }

        var parameters = _method?.GetParameters() ?? [];
        var declared = AxesInCellOrder().ToList();
        return new ExperimentPlan(Owner, cells.ToList(), [.. parameters.Select(p => declared.First(a => a.ParameterName == p.Name))])
        {
            Drivers = Drivers,
            ParameterTypes = [.. parameters.Select(p => p.ParameterType)],
        };
    }

    // Built-in axes in their fixed order, then axes of your own sorted by key: the cell id never depends on attribute order.
    private IEnumerable<Axis> AxesInCellOrder() =>
        Axis.All.Concat(_axes.Select(a => a.Axis).Where(a => !a.IsBuiltIn).Distinct().OrderBy(a => a.Key, StringComparer.Ordinal));

    private static ExperimentCell With(ExperimentCell cell, Axis axis, object value)
    {
        if (axis == Axis.Driver)
        {
            return cell with { Driver = value is Driver driver ? driver.ToString() : (string)value };
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

        return cell with { UserAxes = [.. cell.UserAxes, KeyValuePair.Create(axis, value)] };
    }

    // The name a driver value stands for, or null when it is neither a Driver nor a string.
    private static string? DriverName(object value) => value switch
    {
        Driver driver => driver.ToString(),
        string name => name,
        _ => null,
    };

    private void CheckDrivers(string owner, AxisValues declaration, List<string> errors)
    {
        foreach (var problem in declaration.Problems)
        {
            errors.Add($"'{owner}' has {problem}");
        }

        if (declaration.Values.Count == 0 && declaration.Problems.Count == 0)
        {
            errors.Add($"'{owner}' has {declaration.DeclaredBy} with no drivers; list at least one, e.g. [Drivers(Driver.Bridge)]");
        }

        var seen = new HashSet<string>(StringComparer.Ordinal);
        var reported = new HashSet<string>(StringComparer.Ordinal);
        foreach (var value in declaration.Values)
        {
            if (value is Driver driver && !Enum.IsDefined(driver))
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value {Axis.Format(value)}, which is not a defined Driver; use one of {string.Join(", ", Enum.GetNames<Driver>())}");
                continue;
            }

            if (DriverName(value) is not { } name)
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value '{Axis.Format(value)}' of type '{value.GetType().Name}'; list drivers as Driver values or by name, e.g. [Drivers(Driver.Bridge, \"MyDriver\")]");
                continue;
            }

            if (!Drivers.TryGet(name, out _))
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy}, but {Drivers.UnknownNameMessage(name)}");
                continue;
            }

            if (!seen.Add(name) && reported.Add(name))
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value {name} more than once; remove the duplicate");
            }
        }
    }

    private static void CheckUserAxis(string owner, AxisValues declaration, List<string> errors)
    {
        var axis = declaration.Axis;
        var by = AttributeOf(declaration);
        var builtIn = Axis.All.FirstOrDefault(a => a.Key == axis.Key || a.ParameterName == axis.ParameterName);
        if (builtIn is not null)
        {
            errors.Add($"'{owner}' has {by}, whose axis '{axis.Key}' (parameter '{axis.ParameterName}') reuses the key or parameter of the built-in '{builtIn.Key}' axis; give your axis another key and parameter name");
        }

        if (axis.Key == "scale" || DriverRegistry.NameProblem(axis.Key) is not null)
        {
            errors.Add($"'{owner}' has {by}, whose axis key '{axis.Key}' cannot be used; a key is letters, digits, '-', '_' and '.' starting with a letter (it appears in cell ids, trait names and baseline file names), and not 'scale'");
        }

        if (axis.ParameterName.Length == 0 || !axis.ParameterName.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(axis.ParameterName[0]))
        {
            errors.Add($"'{owner}' has {by}, whose parameter name '{axis.ParameterName}' is not a C# parameter name; use the name of the method parameter that takes the value");
        }
        else if (string.Equals(axis.ParameterName, "trials", StringComparison.OrdinalIgnoreCase))
        {
            errors.Add($"'{owner}' has {by}, whose parameter is 'trials'; trials are a setting, not an axis: use [Trials(n)]");
        }

        if (!axis.ValueType.IsEnum && !AxisValueTypes.Contains(axis.ValueType))
        {
            errors.Add($"'{owner}' has {by}, whose axis '{axis.Key}' takes '{axis.TypeName}' values; an axis takes string, int, long, double, bool or an enum (a test case must be serialisable)");
        }

        if (axis.MustBePositive && axis.ValueType != typeof(int))
        {
            errors.Add($"'{owner}' has {by}, whose axis '{axis.Key}' must be positive but takes '{axis.TypeName}' values; only int axes can require values of 1 or more");
        }

        foreach (var value in declaration.Values.Where(v => v.GetType() == axis.ValueType))
        {
            var text = Axis.Format(value);
            if (text.Length == 0 || text.Contains('/', StringComparison.Ordinal) || text.Contains('=', StringComparison.Ordinal) || text.Any(char.IsWhiteSpace))
            {
                errors.Add($"'{owner}' has {declaration.DeclaredBy} with value '{text}', which cannot be part of a cell id (empty, or with '/', '=' or white space); write the value without them");
            }
        }
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

            if (axis.MustBePositive && value is int number && number <= 0)
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
        var declaredAxes = _axes.Select(a => a.Axis).Distinct().ToList();
        foreach (var declaration in _axes.DistinctBy(a => a.Axis))
        {
            var axis = declaration.Axis;
            var parameter = parameters.FirstOrDefault(p => p.Name == axis.ParameterName);
            if (parameter is null)
            {
                var type = axis == Axis.Driver ? "Driver or string" : axis.TypeName;
                errors.Add($"'{owner}' has {AttributeOf(declaration)} but no parameter named '{axis.ParameterName}' ({type}); add the parameter or remove the attribute");
            }
            else if (axis == Axis.Driver)
            {
                CheckDriverParameter(owner, parameter, errors);
            }
            else if (parameter.ParameterType != axis.ValueType)
            {
                errors.Add($"'{owner}' has parameter '{parameter.Name}' of type '{parameter.ParameterType.Name}', but {AttributeOf(declaration)} supplies '{axis.TypeName}'; declare it as '{axis.TypeName} {axis.ParameterName}'");
            }
        }

        foreach (var group in declaredAxes.Where(a => !a.IsBuiltIn).GroupBy(a => a.ParameterName).Where(g => g.Count() > 1))
        {
            errors.Add($"'{owner}' has the axes {string.Join(" and ", group.Select(a => $"'{a.Key}'"))} bound to the same parameter '{group.Key}'; give each axis its own parameter");
        }

        var known = Axis.All.Concat(declaredAxes.Where(a => !a.IsBuiltIn)).ToList();
        foreach (var parameter in parameters)
        {
            var axis = known.FirstOrDefault(a => a.ParameterName == parameter.Name);
            if (axis is not null)
            {
                if (declaredAxes.All(a => a != axis))
                {
                    var attributes = axis == Axis.Pairs ? "[Pairs(...)] or [PairsRange(...)]"
                        : axis == Axis.Driver ? "[Drivers(...)] or [DriverTheory(...)]"
                        : $"[{axis.AttributeName}(...)]";
                    errors.Add($"'{owner}' has parameter '{parameter.Name}' but no attribute supplies it; add {attributes} or remove the parameter");
                }

                continue;
            }

            if (string.Equals(parameter.Name, "trials", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add($"'{owner}' has parameter '{parameter.Name}', but trials are a setting, not an axis; remove the parameter and set the count with [Trials(n)]");
                continue;
            }

            var nearMiss = known.FirstOrDefault(a => string.Equals(a.ParameterName, parameter.Name, StringComparison.OrdinalIgnoreCase));
            var hint = nearMiss is null ? string.Empty : $" (did you mean '{nearMiss.ParameterName}'?)";
            var names = string.Join(", ", known.Select(a => $"{a.ParameterName} ({a.TypeName})"));
            errors.Add($"'{owner}' has parameter '{parameter.Name}' that no axis supplies{hint}; axes bind to parameters by name: {names}; rename or remove the parameter");
        }
    }

    // A driver parameter is Driver (built-in drivers only) or string (the name; any driver).
    private void CheckDriverParameter(string owner, ParameterInfo parameter, List<string> errors)
    {
        if (parameter.ParameterType == typeof(string))
        {
            return;
        }

        if (parameter.ParameterType != typeof(Driver))
        {
            errors.Add($"'{owner}' has parameter '{parameter.Name}' of type '{parameter.ParameterType.Name}', but drivers are passed as 'Driver' or as their name; declare it as 'Driver driver' or 'string driver'");
            return;
        }

        var own = _axes.Where(a => a.Axis == Axis.Driver)
            .SelectMany(a => a.Values)
            .Select(DriverName)
            .OfType<string>()
            .Where(name => !Drivers.IsBuiltIn(name) && Drivers.TryGet(name, out _))
            .Distinct(StringComparer.Ordinal)
            .ToList();
        if (own.Count > 0)
        {
            errors.Add($"'{owner}' has parameter '{parameter.Name}' of type 'Driver', but lists {string.Join(", ", own.Select(n => $"'{n}'"))}, not a built-in driver; declare it as 'string driver' (the driver's name)");
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
