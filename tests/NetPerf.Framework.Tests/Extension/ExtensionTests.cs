using System.Reflection;
using NetPerf.Experiments;
using NetPerf.Plan;
using NetPerf.Sdk;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Drivers;
using NetPerf.Tests.Attributes;
using NetPerf.Verdicts;

namespace NetPerf.Tests.Extension;

/// <summary>
/// Open extension from a user's assembly (this one): any number of drivers, drivers and axes of one's own. Scenarios,
/// drivers and axes here are declared in the test assembly, as a user would.
/// </summary>
public class ExtensionTests
{
    private static readonly string[] BuiltInNames = Enum.GetNames<Driver>();

    [Fact]
    public void A_parameterless_DriverTheory_with_Drivers_lists_all_nine_built_in_drivers_as_Driver_values()
    {
        var rows = new DriverTheoryAttribute().GetRows(Method(nameof(Samples.Nine_built_in))).ToList();

        Assert.Equal(Enum.GetValues<Driver>().Cast<object?>(), rows.Select(r => r.GetData()[0]));
        Assert.Equal(BuiltInNames, rows.Select(r => Assert.Single(r.Traits!["driver"])));
    }

    [Fact]
    public void More_than_nine_drivers_with_one_of_your_own_give_one_cell_each_with_the_name_as_argument_trait_and_cell_id()
    {
        var plan = new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.Ten_drivers)));
        var rows = new DriverTheoryAttribute().GetRows(Method(nameof(Samples.Ten_drivers))).ToList();

        Assert.Equal([.. BuiltInNames, UserBridgeDriver.DriverName], plan.Cells.Select(c => c.Driver));
        Assert.Equal([.. BuiltInNames, UserBridgeDriver.DriverName], rows.Select(r => (string)r.GetData()[0]!));
        Assert.Equal("driver=UserBridge/pairs=2", plan.Cells[^1].CellId);
        Assert.Equal(["UserBridge"], rows[^1].Traits!["driver"]);
        Assert.IsType<UserBridgeDriver>(plan.Drivers.Get(plan.Cells[^1].Driver));
    }

    [Fact]
    public void The_Drivers_form_gives_the_same_cell_ids_traits_and_arguments_as_the_constructor_form()
    {
        var oldForm = new DriverTheoryAttribute(Driver.Host, Driver.Bridge);
        var newForm = new DriverTheoryAttribute();

        var old = oldForm.GetRows(Method(nameof(Samples.Constructor_form))).ToList();
        var @new = newForm.GetRows(Method(nameof(Samples.Drivers_form))).ToList();

        Assert.Equal(
            ["driver=Host/pairs=1/msg=64", "driver=Host/pairs=1/msg=1024", "driver=Bridge/pairs=1/msg=64", "driver=Bridge/pairs=1/msg=1024"],
            newForm.PlanFor(Method(nameof(Samples.Drivers_form))).Cells.Select(c => c.CellId));
        Assert.Equal(
            oldForm.PlanFor(Method(nameof(Samples.Constructor_form))).Cells.Select(c => c.CellId),
            newForm.PlanFor(Method(nameof(Samples.Drivers_form))).Cells.Select(c => c.CellId));
        Assert.Equal(old.Select(r => r.GetData()), @new.Select(r => r.GetData()));
        Assert.Equal(
            old.Select(r => string.Join(";", r.Traits!.OrderBy(t => t.Key).Select(t => $"{t.Key}={string.Join(",", t.Value)}"))),
            @new.Select(r => string.Join(";", r.Traits!.OrderBy(t => t.Key).Select(t => $"{t.Key}={string.Join(",", t.Value)}"))));
    }

    [Fact]
    public void Axes_of_your_own_multiply_the_cells_bind_by_name_and_appear_sorted_by_key_after_the_built_in_ones()
    {
        var method = Method(nameof(Samples.User_axes));
        var plan = new DriverTheoryAttribute().PlanFor(method);
        var rows = new DriverTheoryAttribute().GetRows(method).ToList();

        Assert.Equal(2 * 2 * 2 * 2, plan.Cells.Count);
        var cell = plan.Cells[^1];
        Assert.Equal("driver=UserBridge/pairs=2/qdisc=htb/streams=4", cell.CellId);
        Assert.Equal("User_axes(driver: UserBridge, pairs: 2, qdisc: htb, streams: 4)", cell.DisplayName);
        Assert.Equal(["driver=UserBridge", "pairs=2", "qdisc=htb", "streams=4", "scale=ci"], cell.Traits.Select(t => $"{t.Key}={t.Value}"));
        Assert.Equal("htb", cell.ValueOf(QueueDisciplinesAttribute.Axis));
        Assert.Equal(4, cell.ValueOf(StreamsAttribute.Axis));
        Assert.Null(plan.Cells[0].ValueOf(new Axis("other", "other", typeof(string), "Other")));

        // Parameters in their own order (streams before qdisc), each cell found again from its arguments.
        Assert.Equal([4, "UserBridge", "htb", 2], plan.ArgumentsFor(cell));
        Assert.Equal([4, "UserBridge", "htb", 2], rows[^1].GetData());
        Assert.Equal(["htb"], rows[^1].Traits!["qdisc"]);
        Assert.Equal(["4"], rows[^1].Traits!["streams"]);
        Assert.All(plan.Cells, c => Assert.Equal(c, plan.FindCell(plan.ArgumentsFor(c))));
        Assert.Equal(16, plan.Cells.Select(c => c.CellId).Distinct().Count());
    }

    [Fact]
    public void Cells_with_axes_of_your_own_are_equal_by_value()
    {
        var a = new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.User_axes))).Cells[5];
        var b = new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.User_axes))).Cells[5];
        var c = new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.User_axes))).Cells[4];

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
    }

    [Fact]
    public void An_unknown_driver_name_is_a_discovery_error_that_suggests_the_closest_name_and_lists_every_known_one()
    {
        var ex = Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.Unknown_driver))));

        Assert.Equal(
            [
                "'Samples.Unknown_driver' has [Drivers(Driver.Host, \"Bridg\", \"NoSuchDriver\")], but 'Bridg' is not a known driver (did you mean 'Bridge'?); known drivers: Host, Bridge, Macvlan, Ovs, Overlay, None, Container, Ipvlan, BridgeNat, UserBridge, UserRefusing; a driver of your own needs [assembly: RegisterDriver(typeof(YourDriver))] in the test assembly",
                "'Samples.Unknown_driver' has [Drivers(Driver.Host, \"Bridg\", \"NoSuchDriver\")], but 'NoSuchDriver' is not a known driver; known drivers: Host, Bridge, Macvlan, Ovs, Overlay, None, Container, Ipvlan, BridgeNat, UserBridge, UserRefusing; a driver of your own needs [assembly: RegisterDriver(typeof(YourDriver))] in the test assembly",
            ],
            ex.Errors);
    }

    [Fact]
    public void Looking_up_an_unknown_name_in_a_registry_says_which_names_exist()
    {
        var ex = Assert.Throws<ArgumentException>(() => DriverRegistry.BuiltIn.Get("UserBridge"));

        Assert.StartsWith("'UserBridge' is not a known driver; known drivers: Host, Bridge, Macvlan, Ovs, Overlay, None, Container, Ipvlan, BridgeNat; a driver of your own needs [assembly: RegisterDriver(typeof(YourDriver))] in the test assembly.", ex.Message, StringComparison.Ordinal);
        Assert.Equal("name", ex.ParamName);
    }

    [Fact]
    public void Declaration_errors_of_drivers_are_listed_together_with_the_fix()
    {
        var driverParameter = Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.Own_driver_with_enum_parameter))));
        var twice = Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute(Driver.Bridge).PlanFor(Method(nameof(Samples.Drivers_form))));
        var none = Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.No_drivers))));
        var wrongValues = Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.Wrong_driver_values))));

        Assert.Equal(
            ["'Samples.Own_driver_with_enum_parameter' has parameter 'driver' of type 'Driver', but lists 'UserBridge', not a built-in driver; declare it as 'string driver' (the driver's name)"],
            driverParameter.Errors);
        Assert.Equal(
            ["'Samples.Drivers_form' declares the 'driver' axis more than once, by [DriverTheory(Driver.Bridge)] and [Drivers(Driver.Host, Driver.Bridge)]; keep one of them"],
            twice.Errors);
        Assert.Equal(["'Samples.No_drivers' has no drivers; list them with [DriverTheory] and [Drivers(Driver.Bridge, ...)]"], none.Errors);
        Assert.Equal(
            [
                "'Samples.Wrong_driver_values' has [Drivers(Driver.Bridge, 3, \"Bridge\", null)] with a null driver; list Driver values or driver names",
                "'Samples.Wrong_driver_values' has [Drivers(Driver.Bridge, 3, \"Bridge\", null)] with value '3' of type 'Int32'; list drivers as Driver values or by name, e.g. [Drivers(Driver.Bridge, \"MyDriver\")]",
                "'Samples.Wrong_driver_values' has [Drivers(Driver.Bridge, 3, \"Bridge\", null)] with value Bridge more than once; remove the duplicate",
            ],
            wrongValues.Errors);
    }

    [Fact]
    public void Axes_of_your_own_that_cannot_work_are_errors_that_say_why()
    {
        Assert.Equal(
            ["'Samples.Bad_key' has [SomeAxis], whose axis key 'bad key' cannot be used; a key is letters, digits, '-', '_' and '.' starting with a letter (it appears in cell ids, trait names and baseline file names), and not 'scale'"],
            Errors(nameof(Samples.Bad_key)));
        Assert.Equal(
            [
                "'Samples.Unsupported_type' has [SomeAxis], whose axis 'when' takes 'DateTime' values; an axis takes string, int, long, double, bool or an enum (a test case must be serialisable)",
                "'Samples.Unsupported_type' has [SomeAxis(1)] with value '1' of type 'Int32'; the 'when' axis takes 'DateTime' values",
            ],
            Errors(nameof(Samples.Unsupported_type)));
        Assert.Equal(
            ["'Samples.Built_in_key' has [SomeAxis], whose axis 'pairs' (parameter 'count') reuses the key or parameter of the built-in 'pairs' axis; give your axis another key and parameter name"],
            Errors(nameof(Samples.Built_in_key)));
        Assert.Equal(
            ["'Samples.Slash_in_value' has [SomeAxis(\"a/b\", \"c\")] with value 'a/b', which cannot be part of a cell id (empty, or with '/', '=' or white space); write the value without them"],
            Errors(nameof(Samples.Slash_in_value)));
    }

    [Fact]
    public void A_parameter_that_no_axis_supplies_lists_the_axes_of_your_own_too()
    {
        var ex = Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.Misnamed_user_axis_parameter))));

        Assert.Equal(
            [
                "'Samples.Misnamed_user_axis_parameter' has [QueueDisciplines] but no parameter named 'qdisc' (string); add the parameter or remove the attribute",
                "'Samples.Misnamed_user_axis_parameter' has parameter 'Qdisc' that no axis supplies (did you mean 'qdisc'?); axes bind to parameters by name: driver (Driver), pairs (int), messageSize (int), protocol (Protocol), pinning (CpuPinning), cores (int), qdisc (string); rename or remove the parameter",
            ],
            ex.Errors);
    }

    [Fact]
    public void Registrations_that_cannot_work_are_reported_with_the_fix_and_the_rest_still_register()
    {
        var (registry, problems) = RegisteredDrivers.From(
        [
            new RegisterDriverAttribute(typeof(UserBridgeDriver)),
            new RegisterDriverAttribute(typeof(string)),
            new RegisterDriverAttribute(typeof(NoConstructorDriver)),
            new RegisterDriverAttribute(typeof(BuiltInNameDriver)),
            new RegisterDriverAttribute(typeof(SpacedNameDriver)),
            new RegisterDriverAttribute(typeof(ThrowingDriver)),
        ]);

        Assert.Equal([.. BuiltInNames, UserBridgeDriver.DriverName], registry.Names);
        Assert.Equal(
            [
                "[assembly: RegisterDriver(typeof(BuiltInNameDriver))]: The driver 'BuiltInNameDriver' has the name 'Bridge', which a built-in driver already has; give 'BuiltInNameDriver' another name.",
                "[assembly: RegisterDriver(typeof(NoConstructorDriver))] names 'NetPerf.Tests.Extension.ExtensionTests+NoConstructorDriver', which has no public parameterless constructor; add one (NetPerf creates the driver itself)",
                "[assembly: RegisterDriver(typeof(SpacedNameDriver))]: The driver 'SpacedNameDriver' has the name 'My driver', which is not letters, digits, '-', '_' and '.' starting with a letter (it appears in cell ids, traits and baseline file names); rename it.",
                "[assembly: RegisterDriver(typeof(ThrowingDriver))]: creating 'NetPerf.Tests.Extension.ExtensionTests+ThrowingDriver' threw InvalidOperationException: no licence; make its constructor succeed",
                "[assembly: RegisterDriver(typeof(String))] names 'System.String', which is not a class implementing 'INetworkDriver'; implement Name, Check and CreateAsync in a non-abstract class, or remove the registration",
            ],
            problems);
        Assert.Throws<ArgumentException>(() => registry.With(new UserBridgeDriver()));
    }

    [Fact]
    public void Cells_of_an_unavailable_driver_of_your_own_are_listed_then_skipped_when_they_run_with_its_reason_or_fail_when_all_drivers_are_required()
    {
        var method = Method(nameof(Samples.Own_and_built_in));
        var check = new FakeCapabilityCheck(UserBridgeDriver.DriverName);

        var rows = new DriverTheoryAttribute().GetRows(method).ToList();
        var reason = DynamicSkip.ReasonOf(() => DriverTheoryAttribute.EnsureDriverAvailable(method, ["UserBridge"], check, requireAllDrivers: false));
        var ex = Assert.Throws<DriverUnavailableException>(() => DriverTheoryAttribute.EnsureDriverAvailable(method, ["UserBridge"], check, requireAllDrivers: true));

        Assert.Equal(["Bridge", "UserBridge"], rows.Select(r => Assert.Single(r.Traits!["driver"])));
        Assert.All(rows, r => Assert.Null(r.Skip));
        Assert.Equal($"Driver 'UserBridge' is not available on this machine: {FakeCapabilityCheck.Reason}", reason);
        Assert.Equal("UserBridge", ex.Availability.Driver);
        DriverTheoryAttribute.EnsureDriverAvailable(method, ["Bridge"], check, requireAllDrivers: true);
        DriverTheoryAttribute.EnsureDriverAvailable(method, ["Bridge"], check, requireAllDrivers: false);
    }

    [Fact]
    public void The_real_capability_check_asks_a_driver_of_your_own()
    {
        using var engine = new ProbeOnlyEngine();
        var check = new CapabilityCheck(engine);

        var answer = check.Check(new UserRefusingDriver());

        Assert.Equal(new DriverAvailability(UserRefusingDriver.DriverName, false, UserRefusingDriver.Reason), answer);
        Assert.True(check.Check(new UserBridgeDriver()).Available);
    }

    [Fact]
    public async Task The_runner_hands_a_driver_of_your_own_to_the_testbed_builder()
    {
        var plan = new DriverTheoryAttribute().PlanFor(Method(nameof(Samples.Refusing)));
        var cell = Assert.Single(plan.Cells);
        using var engine = new ProbeOnlyEngine();
        var definition = new ExperimentDefinition(cell, Workload.Iperf3Tcp(TimeSpan.FromSeconds(1)), [], [], SequentialPolicy.Default, b => b.WithEngine(engine))
        {
            Drivers = plan.Drivers,
        };
        var folder = Directory.CreateTempSubdirectory("netperf-extension-").FullName;
        try
        {
            var runner = new ExperimentRunner(new ExperimentSettings(Path.Combine(folder, "baselines"), Path.Combine(folder, "results")));

            // The testbed asks the driver (through the builder) whether it can run: the user driver's own answer comes back.
            var ex = await Assert.ThrowsAsync<DriverUnavailableException>(() => runner.RunAsync(definition, TestContext.Current.CancellationToken));
            // Without the assembly's registry the name means nothing.
            var unknown = await Assert.ThrowsAsync<ArgumentException>(() => runner.RunAsync(definition with { Drivers = DriverRegistry.BuiltIn }, TestContext.Current.CancellationToken));

            Assert.Equal($"Driver 'UserRefusing' is not available on this machine: {UserRefusingDriver.Reason}.", ex.Message);
            Assert.StartsWith("'UserRefusing' is not a known driver", unknown.Message, StringComparison.Ordinal);
            Assert.Equal(1, engine.Probes);
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
    }

    [Fact]
    public void The_testbed_builder_takes_a_driver_of_your_own()
    {
        var driver = new UserBridgeDriver();

        var options = new TestbedBuilder().WithDriver(driver).WithPairs(3).BuildOptions();

        Assert.Same(driver, options.Driver);
        Assert.Equal(3, options.Pairs);
    }

    private static MethodInfo Method(string name) => typeof(Samples).GetMethod(name)!;

    private static IReadOnlyList<string> Errors(string method) =>
        Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute().PlanFor(Method(method))).Errors;

    private sealed class NoConstructorDriver(int unused) : INetworkDriver
    {
        public string Name => $"NoConstructor{unused}";

        public DriverAvailability Check(ProbeResult probe) => new(Name, true, "");

        public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class BuiltInNameDriver : INetworkDriver
    {
        public string Name => "Bridge";

        public DriverAvailability Check(ProbeResult probe) => new(Name, true, "");

        public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class SpacedNameDriver : INetworkDriver
    {
        public string Name => "My driver";

        public DriverAvailability Check(ProbeResult probe) => new(Name, true, "");

        public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    private sealed class ThrowingDriver : INetworkDriver
    {
        public ThrowingDriver() => throw new InvalidOperationException("no licence");

        public string Name => "Throwing";

        public DriverAvailability Check(ProbeResult probe) => new(Name, true, "");

        public Task<IDriverNetwork> CreateAsync(TestbedContext context, CancellationToken cancellationToken) => throw new NotSupportedException();
    }

    // Plain methods: the attributes do not make them tests; each test creates the DriverTheoryAttribute.
    private static class Samples
    {
        [Drivers(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs, Driver.Overlay, Driver.None, Driver.Container, Driver.Ipvlan, Driver.BridgeNat)]
        public static void Nine_built_in(Driver driver) => _ = driver;

        [Drivers(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs, Driver.Overlay, Driver.None, Driver.Container, Driver.Ipvlan, Driver.BridgeNat, "UserBridge")]
        [Pairs(2)]
        public static void Ten_drivers(string driver, int pairs) => _ = (driver, pairs);

        [Pairs(1)]
        [MessageSizes(64, 1024)]
        public static void Constructor_form(Driver driver, int pairs, int messageSize) => _ = (driver, pairs, messageSize);

        [Drivers(Driver.Host, Driver.Bridge)]
        [Pairs(1)]
        [MessageSizes(64, 1024)]
        public static void Drivers_form(Driver driver, int pairs, int messageSize) => _ = (driver, pairs, messageSize);

        [Streams(1, 4)]
        [Drivers(Driver.Bridge, UserBridgeDriver.DriverName)]
        [QueueDisciplines("pfifo", "htb")]
        [Pairs(1, 2)]
        public static void User_axes(int streams, string driver, string qdisc, int pairs) => _ = (streams, driver, qdisc, pairs);

        [Drivers(Driver.Host, "Bridg", "NoSuchDriver")]
        public static void Unknown_driver(string driver) => _ = driver;

        [Drivers(Driver.Bridge, UserBridgeDriver.DriverName)]
        public static void Own_driver_with_enum_parameter(Driver driver) => _ = driver;

        public static void No_drivers() { }

        [Drivers(Driver.Bridge, 3, "Bridge", null)]
        public static void Wrong_driver_values(Driver driver) => _ = driver;

        [Drivers(Driver.Bridge)]
        [SomeAxis("bad key", "bad", typeof(string), "x")]
        public static void Bad_key(Driver driver, string bad) => _ = (driver, bad);

        [Drivers(Driver.Bridge)]
        [SomeAxis("when", "when", typeof(DateTime), 1)]
        public static void Unsupported_type(Driver driver, DateTime when) => _ = (driver, when);

        [Drivers(Driver.Bridge)]
        [SomeAxis("pairs", "count", typeof(int), 1)]
        public static void Built_in_key(Driver driver, int count) => _ = (driver, count);

        [Drivers(Driver.Bridge)]
        [SomeAxis("path", "path", typeof(string), "a/b", "c")]
        public static void Slash_in_value(Driver driver, string path) => _ = (driver, path);

        [Drivers(Driver.Bridge)]
        [QueueDisciplines("htb")]
        public static void Misnamed_user_axis_parameter(Driver driver, string Qdisc) => _ = (driver, Qdisc);

        [Drivers(Driver.Bridge, UserBridgeDriver.DriverName)]
        public static void Own_and_built_in(string driver) => _ = driver;

        [Drivers(UserRefusingDriver.DriverName)]
        public static void Refusing(string driver) => _ = driver;
    }
}
