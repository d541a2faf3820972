using System.Reflection;
using System.Runtime.CompilerServices;
using NetPerf.Plan;
using NetPerf.Sdk;
using NetPerf.Testbeds;
using Xunit;
using Xunit.Sdk;
using Xunit.v3;

// Author-facing, so in namespace NetPerf rather than NetPerf.Attributes (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// Marks a NetPerf scenario: an xUnit theory with one test case per cell, the cartesian product of its drivers and the
/// axis attributes on the method.
/// </summary>
/// <remarks>
/// <para>Usage:</para>
/// <code>
/// [DriverTheory]
/// [Drivers(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs)]
/// [Pairs(1, 5, 10, 50)]
/// public Task Tcp_throughput(Driver driver, int pairs) => ...
/// </code>
/// <para>
/// <see cref="DriversAttribute"/> lists any number of drivers, built-in ones and your own (by name, registered with
/// <see cref="RegisterDriverAttribute"/>). The constructors that take up to 8 <see cref="Driver"/> values are a short
/// form kept for existing scenarios: <c>[DriverTheory(Driver.Host, Driver.Bridge)]</c>; use one form or the other.
/// </para>
/// <para>
/// Axes bind to parameters by name: <c>driver</c> (<see cref="DriversAttribute"/>), <c>pairs</c> (<see cref="PairsAttribute"/>,
/// <see cref="PairsRangeAttribute"/>), <c>messageSize</c> (<see cref="MessageSizesAttribute"/>), <c>protocol</c>
/// (<see cref="ProtocolsAttribute"/>), <c>pinning</c> (<see cref="CpuPinningAttribute"/>) and <c>cores</c>
/// (<see cref="CoresAttribute"/>), and axes of your own (an attribute implementing <see cref="IAxisAttribute"/>; see
/// <see cref="Axis"/>). <see cref="TrialsAttribute"/> and <see cref="FullScaleAttribute"/> are settings.
/// </para>
/// <para>
/// Each case is named like <c>Tcp_throughput(driver: Bridge, pairs: 10)</c> and carries one trait per axis
/// (<c>driver=Bridge</c>, <c>pairs=10</c>, <c>msg=1024</c>, ...) and <c>scale=ci</c> or <c>scale=full</c>, so
/// <c>dotnet test -- --filter-trait "driver=Bridge"</c> selects cells (this needs <c>"preEnumerateTheories": true</c>
/// in xunit.runner.json).
/// </para>
/// <para>
/// Cells whose driver <see cref="CapabilityCheckRegistry.Default"/> reports unavailable are skipped with its reason
/// (<c>Driver 'Ovs' is not available on this machine: ...</c>). The driver is checked when a cell is about to run, never
/// while tests are discovered or listed, so <c>--list-tests</c> does not touch the engine. With the environment
/// variable <c>NETPERF_REQUIRE_ALL_DRIVERS=1</c> they are not skipped: they fail before the test body starts, with a
/// <see cref="DriverUnavailableException"/> that gives the reason.
/// </para>
/// <para>
/// A wrong declaration (a value that is not positive, a duplicate, an axis without its parameter, a parameter without
/// its axis, a wrong parameter type) is reported with every error at once, naming the method and the fix: the method
/// then shows up as a single failing test case whose message is the <see cref="PlanValidationException"/>.
/// </para>
/// </remarks>
[AttributeUsage(AttributeTargets.Method, AllowMultiple = false)]
[XunitTestCaseDiscoverer(typeof(DriverTheoryDiscoverer))]
public sealed class DriverTheoryAttribute : TheoryAttribute, IDataAttribute, IBeforeAfterTestAttribute
{
    /// <summary>The environment variable that turns unavailable drivers from skipped cells into failing ones (value <c>1</c> or <c>true</c>).</summary>
    public const string RequireAllDriversVariable = "NETPERF_REQUIRE_ALL_DRIVERS";

    /// <summary>Declares a theory whose drivers are listed by <see cref="DriversAttribute"/>: <c>[DriverTheory, Drivers(Driver.Bridge, "VethPair")]</c>.</summary>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [];

    /// <summary>Declares a theory whose cells run on this driver.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1];

    /// <summary>Declares a theory whose cells run on these 2 drivers.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="driver2">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1, Driver driver2,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1, driver2];

    /// <summary>Declares a theory whose cells run on these 3 drivers.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="driver2">A driver to run the cells on.</param>
    /// <param name="driver3">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1, Driver driver2, Driver driver3,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1, driver2, driver3];

    /// <summary>Declares a theory whose cells run on these 4 drivers.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="driver2">A driver to run the cells on.</param>
    /// <param name="driver3">A driver to run the cells on.</param>
    /// <param name="driver4">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1, Driver driver2, Driver driver3, Driver driver4,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1, driver2, driver3, driver4];

    /// <summary>Declares a theory whose cells run on these 5 drivers.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="driver2">A driver to run the cells on.</param>
    /// <param name="driver3">A driver to run the cells on.</param>
    /// <param name="driver4">A driver to run the cells on.</param>
    /// <param name="driver5">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1, Driver driver2, Driver driver3, Driver driver4, Driver driver5,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1, driver2, driver3, driver4, driver5];

    /// <summary>Declares a theory whose cells run on these 6 drivers.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="driver2">A driver to run the cells on.</param>
    /// <param name="driver3">A driver to run the cells on.</param>
    /// <param name="driver4">A driver to run the cells on.</param>
    /// <param name="driver5">A driver to run the cells on.</param>
    /// <param name="driver6">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1, Driver driver2, Driver driver3, Driver driver4, Driver driver5, Driver driver6,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1, driver2, driver3, driver4, driver5, driver6];

    /// <summary>Declares a theory whose cells run on these 7 drivers.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="driver2">A driver to run the cells on.</param>
    /// <param name="driver3">A driver to run the cells on.</param>
    /// <param name="driver4">A driver to run the cells on.</param>
    /// <param name="driver5">A driver to run the cells on.</param>
    /// <param name="driver6">A driver to run the cells on.</param>
    /// <param name="driver7">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1, Driver driver2, Driver driver3, Driver driver4, Driver driver5, Driver driver6, Driver driver7,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1, driver2, driver3, driver4, driver5, driver6, driver7];

    /// <summary>Declares a theory whose cells run on these 8 drivers.</summary>
    /// <param name="driver1">A driver to run the cells on.</param>
    /// <param name="driver2">A driver to run the cells on.</param>
    /// <param name="driver3">A driver to run the cells on.</param>
    /// <param name="driver4">A driver to run the cells on.</param>
    /// <param name="driver5">A driver to run the cells on.</param>
    /// <param name="driver6">A driver to run the cells on.</param>
    /// <param name="driver7">A driver to run the cells on.</param>
    /// <param name="driver8">A driver to run the cells on.</param>
    /// <param name="sourceFilePath">Filled in by the compiler.</param>
    /// <param name="sourceLineNumber">Filled in by the compiler.</param>
    public DriverTheoryAttribute(
        Driver driver1, Driver driver2, Driver driver3, Driver driver4, Driver driver5, Driver driver6, Driver driver7, Driver driver8,
        [CallerFilePath] string? sourceFilePath = null,
        [CallerLineNumber] int sourceLineNumber = -1)
        : base(sourceFilePath, sourceLineNumber) => Drivers = [driver1, driver2, driver3, driver4, driver5, driver6, driver7, driver8];

    /// <summary>The drivers given to the constructor, in the order given; empty when <see cref="DriversAttribute"/> lists them.</summary>
    public IReadOnlyList<Driver> Drivers { get; }

    // The data-row settings are per cell (see GetData); the theory-wide ones come from TheoryAttribute.
    bool? IDataAttribute.Explicit => null;

    string? IDataAttribute.Label => null;

    string? IDataAttribute.Skip => null;

    Type? IDataAttribute.SkipType => null;

    string? IDataAttribute.SkipUnless => null;

    string? IDataAttribute.SkipWhen => null;

    string? IDataAttribute.TestDisplayName => null;

    int? IDataAttribute.Timeout => null;

    string[]? IDataAttribute.Traits => null;

    /// <summary>Whether <see cref="RequireAllDriversVariable"/> is set to <c>1</c> or <c>true</c> in this process.</summary>
    public static bool RequireAllDrivers => IsOn(Environment.GetEnvironmentVariable(RequireAllDriversVariable));

    /// <summary>Builds the experiment plan of a method from this attribute and the axis attributes beside it.</summary>
    /// <param name="method">The method carrying this attribute.</param>
    /// <returns>The plan.</returns>
    /// <exception cref="PlanValidationException">The declaration is wrong; every error is listed.</exception>
    internal ExperimentPlan PlanFor(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var (registry, problems) = RegistryOf(method);
        var builder = MatrixBuilder.For(method).WithDrivers(registry);
        if (Drivers.Count > 0)
        {
            builder = builder.WithAxis(AxisValues.Of(Axis.Driver, Drivers));
        }

        foreach (var axis in AxisDeclarations(method))
        {
            builder = builder.WithAxis(axis);
        }

        if (method.GetCustomAttribute<TrialsAttribute>() is { } trials)
        {
            builder = builder.WithTrials(trials.Trials);
        }

        if (method.IsDefined(typeof(FullScaleAttribute), inherit: true))
        {
            builder = builder.WithScale(Scale.Full);
        }

        if (problems.Count > 0)
        {
            throw new PlanValidationException(builder.Owner, [.. problems.Select(p => $"'{builder.Owner}' is in an assembly with a driver registration that cannot work: {p}"), .. builder.Validate()]);
        }

        return builder.Build();
    }

    /// <summary>Every value the method declares, per axis key, and its scale; used to label a method whose plan is invalid.</summary>
    /// <param name="method">The method carrying this attribute.</param>
    /// <returns>Trait name to values, e.g. <c>driver</c> to <c>Bridge</c> and <c>Host</c>; values of invalid declarations included.</returns>
    public IReadOnlyDictionary<string, IReadOnlyCollection<string>> DeclaredTraits(MethodInfo method)
    {
        ArgumentNullException.ThrowIfNull(method);
        var declarations = Drivers.Count > 0 ? AxisDeclarations(method).Prepend(AxisValues.Of(Axis.Driver, Drivers)) : AxisDeclarations(method);
        var traits = declarations
            .GroupBy(d => d.Axis.Key)
            .ToDictionary(g => g.Key, g => (IReadOnlyCollection<string>)g.SelectMany(d => d.Values).Select(Axis.Format).Distinct().ToList());
        traits["scale"] = [method.IsDefined(typeof(FullScaleAttribute), inherit: true) ? "full" : "ci"];
        return traits;
    }

    /// <inheritdoc />
    /// <remarks>Asks no capability check: xUnit calls this while it discovers tests, and discovery must not probe the engine.</remarks>
    public ValueTask<IReadOnlyCollection<ITheoryDataRow>> GetData(MethodInfo testMethod, DisposalTracker disposalTracker) =>
        new(GetRows(testMethod));

    /// <inheritdoc />
    public bool SupportsDiscoveryEnumeration() => true;

    /// <summary>
    /// Skips the test before its body runs when its driver is unavailable, or fails it when all drivers are required.
    /// </summary>
    /// <remarks>
    /// xUnit v3 reports an exception from <see cref="IBeforeAfterTestAttribute.Before"/> whose message starts with its
    /// dynamic skip token (<see cref="Assert.Skip(string)"/>) as a skipped test with that reason, like a skip thrown
    /// from the test body.
    /// </remarks>
    /// <param name="methodUnderTest">The test method.</param>
    /// <param name="test">The test (one cell).</param>
    void IBeforeAfterTestAttribute.Before(MethodInfo methodUnderTest, IXunitTest test) =>
        EnsureDriverAvailable(methodUnderTest, test.TestMethodArguments, CapabilityCheckRegistry.Default, RequireAllDrivers);

    /// <summary>Nothing to undo after a test.</summary>
    /// <param name="methodUnderTest">The test method.</param>
    /// <param name="test">The test.</param>
    void IBeforeAfterTestAttribute.After(MethodInfo methodUnderTest, IXunitTest test)
    {
    }

    /// <summary>The rows of a method, one per cell: arguments, display name, traits, explicit for full scale; never a skip.</summary>
    internal IReadOnlyCollection<ITheoryDataRow> GetRows(MethodInfo method)
    {
        var plan = PlanFor(method);
        var rows = new List<ITheoryDataRow>(plan.Cells.Count);
        foreach (var cell in plan.Cells)
        {
            var row = new TheoryDataRow(plan.ArgumentsFor(cell)).WithTestDisplayName(method.Name);
            foreach (var trait in cell.Traits)
            {
                row = row.WithTrait(trait.Key, trait.Value);
            }

            if (cell.Scale == Scale.Full)
            {
                row = row.WithExplicit(true);
            }

            rows.Add(row);
        }

        return rows;
    }

    /// <summary>
    /// Asks the capability check about the driver among the arguments of a cell that is about to run: returns when it
    /// is available, skips the test (<see cref="Assert.Skip(string)"/>, with <see cref="SkipReason"/>) when it is not,
    /// or throws <see cref="DriverUnavailableException"/> when it is not and all drivers are required.
    /// </summary>
    /// <param name="method">The test method.</param>
    /// <param name="arguments">The cell's arguments.</param>
    /// <param name="check">The capability check, or <see langword="null"/> to assume every driver is available.</param>
    /// <param name="requireAllDrivers">Fail instead of skipping.</param>
    /// <param name="acrossNodesUnavailable">Why pairs cannot be placed across nodes here (null: they can); the default asks <c>SecondNode</c> once per process.</param>
    internal static void EnsureDriverAvailable(MethodInfo method, IReadOnlyList<object?> arguments, ICapabilityCheck? check, bool requireAllDrivers, Func<string?>? acrossNodesUnavailable = null)
    {
        var index = Array.FindIndex(method.GetParameters(), p => p.Name == Axis.Driver.ParameterName);
        var name = index < 0 || index >= arguments.Count ? null : arguments[index] switch
        {
            Driver driver => driver.ToString(),
            string text => text,
            _ => null,
        };
        if (name is null || !RegistryOf(method).Registry.TryGet(name, out var implementation))
        {
            return;
        }

        var answer = Check(check, implementation);
        if (answer.Available)
        {
            if (arguments.Any(a => a is Placement.AcrossNodes) && (acrossNodesUnavailable ?? Testbeds.Cluster.SecondNode.CachedUnavailableReason)() is { } reason)
            {
                var across = new DriverAvailability("placement=AcrossNodes", false, reason);
                if (requireAllDrivers)
                    throw new DriverUnavailableException(across, $"The cell fails instead of being skipped because {RequireAllDriversVariable} is set; make a second node available or unset the variable.");
                Assert.Skip($"Placement 'AcrossNodes' is not available on this machine: {reason}");
            }

            return;
        }

        if (requireAllDrivers)
        {
            throw new DriverUnavailableException(answer, $"The cell fails instead of being skipped because {RequireAllDriversVariable} is set; make the driver available or unset the variable.");
        }

        Assert.Skip(SkipReason(name, answer));
    }

    /// <summary>Why a cell of an unavailable driver is skipped: <c>Driver 'Ovs' is not available on this machine: reason</c>.</summary>
    internal static string SkipReason(string driver, DriverAvailability answer) =>
        $"Driver '{driver}' is not available on this machine: {answer.Reason}";

    // Reflection does not promise the source order of attributes; sorting by axis keeps messages and cells deterministic.
    private static IEnumerable<AxisValues> AxisDeclarations(MethodInfo method) =>
        method.GetCustomAttributes(inherit: true).OfType<IAxisAttribute>()
            .Select(a => a.ToAxisValues())
            .OrderBy(a => a.Axis.IsBuiltIn ? Axis.All.ToList().IndexOf(a.Axis) : Axis.All.Count)
            .ThenBy(a => a.Axis.Key, StringComparer.Ordinal);

    // The built-in drivers and those the scenario's assembly registers.
    private static (Testbeds.Drivers.DriverRegistry Registry, IReadOnlyList<string> Problems) RegistryOf(MethodInfo method) =>
        method.DeclaringType is { } type ? RegisteredDrivers.For(type.Assembly) : (Testbeds.Drivers.DriverRegistry.BuiltIn, []);

    internal static bool IsOn(string? value) =>
        value is not null && (value.Trim() == "1" || value.Trim().Equals("true", StringComparison.OrdinalIgnoreCase));

    private static DriverAvailability Check(ICapabilityCheck? check, INetworkDriver driver) =>
        check?.Check(driver) ?? new DriverAvailability(driver.Name, true, "no capability check is set; assumed available");
}
