using System.Reflection;
using NetPerf.Plan;

namespace NetPerf.Tests.Plan;

public class MatrixBuilderTests
{
    private static readonly Driver[] FourDrivers = [Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs];

    [Fact]
    public void Four_drivers_times_four_pair_counts_make_sixteen_cells_with_driver_varying_slowest()
    {
        var plan = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Driver, FourDrivers))
            .WithAxis(AxisValues.Of(Axis.Pairs, [1, 5, 10, 50]))
            .Build();

        Assert.Equal(16, plan.Cells.Count);
        Assert.Equal(16, plan.Cells.Select(c => c.CellId).Distinct().Count());
        Assert.Equal("driver=Host/pairs=1", plan.Cells[0].CellId);
        Assert.Equal("driver=Host/pairs=5", plan.Cells[1].CellId);
        Assert.Equal("driver=Ovs/pairs=50", plan.Cells[15].CellId);
    }

    [Fact]
    public void Every_axis_multiplies_the_cells()
    {
        var plan = Builder(nameof(Samples.AllAxes))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge, Driver.Host]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [1, 2]))
            .WithAxis(AxisValues.Of(Axis.MessageSize, [64, 1024, 65536]))
            .WithAxis(AxisValues.Of(Axis.Protocol, [Protocol.Tcp, Protocol.Udp]))
            .WithAxis(AxisValues.Of(Axis.Pinning, [CpuPinning.None, CpuPinning.SameCore, CpuPinning.DifferentCores]))
            .WithAxis(AxisValues.Of(Axis.Cores, [1, 2]))
            .Build();

        Assert.Equal(2 * 2 * 3 * 2 * 3 * 2, plan.Cells.Count);
        Assert.Equal("driver=Bridge/pairs=1/msg=64/protocol=Tcp/pinning=None/cores=1", plan.Cells[0].CellId);
    }

    [Fact]
    public void Cell_id_does_not_depend_on_the_order_axes_were_declared_in()
    {
        var plan = Builder(nameof(Samples.DriverPairsMessageSize))
            .WithAxis(AxisValues.Of(Axis.MessageSize, [1024]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [10]))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .Build();

        var cell = Assert.Single(plan.Cells);
        Assert.Equal("driver=Bridge/pairs=10/msg=1024", cell.CellId);
        Assert.Equal("DriverPairsMessageSize(driver: Bridge, pairs: 10, messageSize: 1024 bytes)", cell.DisplayName);
    }

    [Fact]
    public void Pairs_default_to_one_when_the_method_has_no_pairs_axis()
    {
        var cell = Assert.Single(Builder(nameof(Samples.DriverOnly)).WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge])).Build().Cells);

        Assert.Equal(1, cell.Pairs);
        Assert.Equal("driver=Bridge/pairs=1", cell.CellId);
        Assert.Null(cell.MessageSizeBytes);
    }

    [Fact]
    public void Cells_carry_one_trait_per_axis_and_the_scale()
    {
        var plan = Builder(nameof(Samples.DriverPairsMessageSize))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Macvlan]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [5]))
            .WithAxis(AxisValues.Of(Axis.MessageSize, [64]))
            .WithScale(Scale.Full)
            .WithTrials(7)
            .Build();

        var cell = Assert.Single(plan.Cells);
        Assert.Equal(
            ["driver=Macvlan", "pairs=5", "msg=64", "scale=full"],
            cell.Traits.Select(t => $"{t.Key}={t.Value}"));
        Assert.Equal(7, cell.Trials);
        Assert.Equal(Scale.Full, cell.Scale);
        Assert.Equal(typeof(Samples).FullName, cell.ScenarioClass);
    }

    [Fact]
    public void Arguments_follow_the_parameter_order_and_find_their_cell_again()
    {
        var plan = Builder(nameof(Samples.PairsFirst))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge, Driver.Host]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [3]))
            .Build();

        var cell = plan.Cells[1];
        Assert.Equal([3, Driver.Host], plan.ArgumentsFor(cell));
        Assert.Same(cell, plan.FindCell([3, Driver.Host]));
        Assert.Null(plan.FindCell([4, Driver.Host]));
    }

    [Fact]
    public void A_range_includes_its_end_when_the_steps_land_on_it()
    {
        Assert.Equal([10, 20, 30, 40, 50], AxisValues.Range(Axis.Pairs, 10, 50, 10, "PairsRange").Values);
        Assert.Equal([1, 4, 7], AxisValues.Range(Axis.Pairs, 1, 9, 3, "PairsRange").Values);
        Assert.Equal([5], AxisValues.Range(Axis.Pairs, 5, 5, 1, "PairsRange").Values);
    }

    [Fact]
    public void A_builder_is_immutable()
    {
        var empty = Builder(nameof(Samples.DriverOnly));
        var withDriver = empty.WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]));

        Assert.Empty(empty.Axes);
        Assert.Single(withDriver.Axes);
    }

    [Fact]
    public void An_unbound_builder_does_not_check_parameters()
    {
        var plan = MatrixBuilder.For("Tcp_throughput")
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.MessageSize, [1024]))
            .Build();

        Assert.Equal("Tcp_throughput(driver: Bridge, pairs: 1, messageSize: 1024 bytes)", Assert.Single(plan.Cells).DisplayName);
        Assert.Empty(plan.ParameterAxes);
    }

    [Fact]
    public void Pairs_that_are_not_positive_are_errors()
    {
        var errors = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [0, -2, 3]))
            .Validate();

        Assert.Equal(
            [
                "'Samples.DriverAndPairs' has [Pairs(0, -2, 3)] with value 0; 'pairs' must be 1 or more; remove or raise it",
                "'Samples.DriverAndPairs' has [Pairs(0, -2, 3)] with value -2; 'pairs' must be 1 or more; remove or raise it",
            ],
            errors);
    }

    [Fact]
    public void Message_sizes_and_cores_must_be_positive_too()
    {
        var errors = Builder(nameof(Samples.AllAxes))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [1]))
            .WithAxis(AxisValues.Of(Axis.MessageSize, [0]))
            .WithAxis(AxisValues.Of(Axis.Protocol, [Protocol.Tcp]))
            .WithAxis(AxisValues.Of(Axis.Pinning, [CpuPinning.None]))
            .WithAxis(AxisValues.Of(Axis.Cores, [0]))
            .Validate();

        Assert.Equal(
            [
                "'Samples.AllAxes' has [MessageSizes(0)] with value 0; 'messageSize' must be 1 or more (bytes); remove or raise it",
                "'Samples.AllAxes' has [Cores(0)] with value 0; 'cores' must be 1 or more; remove or raise it",
            ],
            errors);
    }

    [Fact]
    public void Duplicates_in_an_axis_are_reported_once_per_value()
    {
        var errors = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge, Driver.Host, Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [1, 1, 1]))
            .Validate();

        Assert.Equal(
            [
                "'Samples.DriverAndPairs' has [DriverTheory(Driver.Bridge, Driver.Host, Driver.Bridge)] with value Bridge more than once; remove the duplicate",
                "'Samples.DriverAndPairs' has [Pairs(1, 1, 1)] with value 1 more than once; remove the duplicate",
            ],
            errors);
    }

    [Fact]
    public void An_axis_without_its_parameter_is_an_error_that_names_the_parameter_and_its_type()
    {
        var errors = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [1]))
            .WithAxis(AxisValues.Of(Axis.MessageSize, [1024]))
            .Validate();

        Assert.Equal(
            ["'Samples.DriverAndPairs' has [MessageSizes] but no parameter named 'messageSize' (int); add the parameter or remove the attribute"],
            errors);
    }

    [Fact]
    public void A_parameter_without_its_axis_is_an_error_that_names_the_attribute()
    {
        var errors = Builder(nameof(Samples.DriverAndPairs)).WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge])).Validate();

        Assert.Equal(
            ["'Samples.DriverAndPairs' has parameter 'pairs' but no attribute supplies it; add [Pairs(...)] or [PairsRange(...)] or remove the parameter"],
            errors);
    }

    [Fact]
    public void A_parameter_no_axis_binds_to_is_an_error_with_a_hint_for_a_near_miss()
    {
        var errors = Builder(nameof(Samples.UnknownParameters)).WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge])).Validate();

        Assert.Equal(2, errors.Count);
        Assert.Equal(
            "'Samples.UnknownParameters' has parameter 'MessageSize' that no axis supplies (did you mean 'messageSize'?); axes bind to parameters by name: driver (Driver), pairs (int), messageSize (int), protocol (Protocol), pinning (CpuPinning), cores (int); rename or remove the parameter",
            errors[0]);
        Assert.StartsWith("'Samples.UnknownParameters' has parameter 'rate' that no axis supplies; axes bind", errors[1], StringComparison.Ordinal);
    }

    [Fact]
    public void A_parameter_of_the_wrong_type_is_an_error_that_shows_the_right_declaration()
    {
        var errors = Builder(nameof(Samples.WrongTypes))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [1]))
            .Validate();

        Assert.Equal(
            [
                "'Samples.WrongTypes' has parameter 'driver' of type 'Int32', but drivers are passed as 'Driver' or as their name; declare it as 'Driver driver' or 'string driver'",
                "'Samples.WrongTypes' has parameter 'pairs' of type 'Int64', but [Pairs] supplies 'int'; declare it as 'int pairs'",
            ],
            errors);
    }

    [Fact]
    public void Trials_are_a_setting_not_a_parameter()
    {
        var errors = Builder(nameof(Samples.TrialsParameter))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithTrials(0)
            .Validate();

        Assert.Equal(
            [
                "'Samples.TrialsParameter' has [Trials(0)]; the trial count must be 1 or more",
                "'Samples.TrialsParameter' has parameter 'trials', but trials are a setting, not an axis; remove the parameter and set the count with [Trials(n)]",
            ],
            errors);
    }

    [Fact]
    public void An_axis_declared_twice_is_an_error()
    {
        var errors = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [1, 2]))
            .WithAxis(AxisValues.Range(Axis.Pairs, 1, 5, 1, "PairsRange"))
            .Validate();

        Assert.Equal(
            ["'Samples.DriverAndPairs' declares the 'pairs' axis more than once, by [Pairs(1, 2)] and [PairsRange(1, 5, 1)]; keep one of them"],
            errors);
    }

    [Fact]
    public void Bad_ranges_say_what_to_change()
    {
        var zeroStep = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Range(Axis.Pairs, 1, 5, 0, "PairsRange"))
            .Validate();
        var backwards = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
            .WithAxis(AxisValues.Range(Axis.Pairs, 10, 1, 1, "PairsRange"))
            .Validate();

        Assert.Equal(["'Samples.DriverAndPairs' has [PairsRange(1, 5, 0)] with step 0; make the step 1 or more"], zeroStep);
        Assert.Equal(["'Samples.DriverAndPairs' has [PairsRange(10, 1, 1)], which starts at 10, after its end 1; swap 'from' and 'to'"], backwards);
    }

    [Fact]
    public void Empty_axes_undefined_enum_values_and_a_missing_driver_axis_are_errors()
    {
        var errors = Builder(nameof(Samples.DriverAndPairs))
            .WithAxis(AxisValues.Of(Axis.Pairs, Array.Empty<int>()))
            .Validate();
        var undefined = Builder(nameof(Samples.DriverOnly))
            .WithAxis(AxisValues.Of(Axis.Driver, [(Driver)42]))
            .Validate();

        Assert.Contains("'Samples.DriverAndPairs' has no drivers; list them with [DriverTheory] and [Drivers(Driver.Bridge, ...)]", errors);
        Assert.Contains("'Samples.DriverAndPairs' has [Pairs()] with no values; list at least one value or remove the attribute", errors);
        Assert.Contains("'Samples.DriverAndPairs' has parameter 'driver' but no attribute supplies it; add [Drivers(...)] or [DriverTheory(...)] or remove the parameter", errors);
        Assert.Equal(
            ["'Samples.DriverOnly' has [DriverTheory(Driver.42)] with value 42, which is not a defined Driver; use one of Host, Bridge, Macvlan, Ovs, Overlay, None, Container, Ipvlan, BridgeNat"],
            undefined);
    }

    [Fact]
    public void Build_throws_with_every_error_not_only_the_first()
    {
        var builder = Builder(nameof(Samples.UnknownParameters))
            .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge, Driver.Bridge]))
            .WithAxis(AxisValues.Of(Axis.Pairs, [0]));

        var ex = Assert.Throws<PlanValidationException>(builder.Build);

        Assert.Equal("Samples.UnknownParameters", ex.Scenario);
        Assert.Equal(5, ex.Errors.Count);
        Assert.StartsWith("The experiment plan of 'Samples.UnknownParameters' has 5 errors:", ex.Message, StringComparison.Ordinal);
        Assert.All(ex.Errors, e => Assert.Contains("  - " + e, ex.Message, StringComparison.Ordinal));
    }

    private static MatrixBuilder Builder(string method) =>
        MatrixBuilder.For(typeof(Samples).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!);

    // Plain methods (no test attribute): only their parameter lists matter.
    private static class Samples
    {
        public static void DriverOnly(Driver driver) => _ = driver;

        public static void DriverAndPairs(Driver driver, int pairs) => _ = (driver, pairs);

        public static void PairsFirst(int pairs, Driver driver) => _ = (driver, pairs);

        public static void DriverPairsMessageSize(Driver driver, int pairs, int messageSize) => _ = (driver, pairs, messageSize);

        public static void AllAxes(Driver driver, int pairs, int messageSize, Protocol protocol, CpuPinning pinning, int cores) =>
            _ = (driver, pairs, messageSize, protocol, pinning, cores);

        public static void UnknownParameters(Driver driver, int MessageSize, double rate) => _ = (driver, MessageSize, rate);

        public static void WrongTypes(int driver, long pairs) => _ = (driver, pairs);

        public static void TrialsParameter(Driver driver, int trials) => _ = (driver, trials);
    }
}
