using System.Reflection;
using NetPerf.Plan;
using NetPerf.Testbeds;
using Xunit.Sdk;

namespace NetPerf.Tests.Attributes;

public class DriverTheoryAttributeTests
{
    private static readonly DriverTheoryAttribute FourDrivers = new(Driver.Host, Driver.Bridge, Driver.Macvlan, Driver.Ovs);

    [Fact]
    public void Four_drivers_and_four_pair_counts_give_sixteen_rows_in_parameter_order()
    {
        var rows = FourDrivers.GetRows(Method(nameof(Samples.Tcp_throughput))).ToList();

        Assert.Equal(16, rows.Count);
        Assert.Equal([Driver.Host, 1], rows[0].GetData());
        Assert.Equal([Driver.Bridge, 10], rows[6].GetData());
        Assert.Equal([Driver.Ovs, 50], rows[15].GetData());
        Assert.All(rows, r => Assert.Equal("Tcp_throughput", r.TestDisplayName));
        Assert.All(rows, r => Assert.Null(r.Skip));
        Assert.All(rows, r => Assert.Null(r.Explicit));
    }

    [Fact]
    public void Every_row_carries_driver_pairs_and_scale_traits()
    {
        var row = FourDrivers.GetRows(Method(nameof(Samples.Tcp_throughput))).ElementAt(6);

        Assert.Equal(["Bridge"], row.Traits!["driver"]);
        Assert.Equal(["10"], row.Traits["pairs"]);
        Assert.Equal(["ci"], row.Traits["scale"]);
        Assert.Equal(3, row.Traits.Count);
    }

    [Fact]
    public void Optional_axes_add_their_traits()
    {
        var rows = new DriverTheoryAttribute(Driver.Bridge).GetRows(Method(nameof(Samples.Udp_latency))).ToList();

        Assert.Equal(2 * 2 * 3 * 2, rows.Count);
        var first = rows[0];
        Assert.Equal([Driver.Bridge, 64, Protocol.Tcp, CpuPinning.None, 1], first.GetData());
        Assert.Equal(["64"], first.Traits!["msg"]);
        Assert.Equal(["Tcp"], first.Traits["protocol"]);
        Assert.Equal(["None"], first.Traits["pinning"]);
        Assert.Equal(["1"], first.Traits["cores"]);
        Assert.Equal(["1"], first.Traits["pairs"]);
    }

    [Fact]
    public void The_range_form_gives_one_row_per_step()
    {
        var rows = new DriverTheoryAttribute(Driver.Host, Driver.Bridge).GetRows(Method(nameof(Samples.Ranged)));

        Assert.Equal(
            [10, 20, 30, 40, 50, 10, 20, 30, 40, 50],
            rows.Select(r => (int)r.GetData()[1]!));
    }

    [Fact]
    public void Discovery_gives_no_skip_and_a_cell_of_an_unavailable_driver_is_skipped_with_the_checks_reason_when_it_runs()
    {
        var check = new FakeCapabilityCheck(Driver.Ovs);
        var method = Method(nameof(Samples.Tcp_throughput));

        var rows = FourDrivers.GetRows(method);
        var reason = DynamicSkip.ReasonOf(() => DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Ovs, 10], check, requireAllDrivers: false));
        DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Bridge, 10], check, requireAllDrivers: false);

        Assert.All(rows, r => Assert.Null(r.Skip));
        Assert.Equal($"Driver 'Ovs' is not available on this machine: {FakeCapabilityCheck.Reason}", reason);
        Assert.Equal(2, check.Calls);
    }

    [Fact]
    public void When_all_drivers_are_required_an_unavailable_cell_fails_before_the_body_instead_of_being_skipped()
    {
        var check = new FakeCapabilityCheck(Driver.Ovs);
        var method = Method(nameof(Samples.Tcp_throughput));

        var ex = Assert.Throws<DriverUnavailableException>(() => DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Ovs, 1], check, requireAllDrivers: true));

        Assert.Equal(
            $"Driver 'Ovs' is not available on this machine: {FakeCapabilityCheck.Reason}. The cell fails instead of being skipped because NETPERF_REQUIRE_ALL_DRIVERS is set; make the driver available or unset the variable.",
            ex.Message);
        Assert.DoesNotContain(Xunit.v3.DynamicSkipToken.Value, ex.Message, StringComparison.Ordinal);
        Assert.False(ex.Availability.Available);
        DriverTheoryAttribute.EnsureDriverAvailable(method, [Driver.Bridge, 1], check, requireAllDrivers: true);
    }

    [Theory]
    [InlineData("1", true)]
    [InlineData("true", true)]
    [InlineData(" TRUE ", true)]
    [InlineData("0", false)]
    [InlineData("", false)]
    [InlineData(null, false)]
    public void The_require_all_drivers_setting_accepts_1_and_true(string? value, bool expected) =>
        Assert.Equal(expected, DriverTheoryAttribute.IsOn(value));

    [Fact]
    public async Task GetData_asks_no_capability_check_and_skips_nothing_whatever_the_environment_variable()
    {
        var previousCheck = CapabilityCheckRegistry.Default;
        var previousVariable = Environment.GetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable);
        var check = new FakeCapabilityCheck(Driver.Macvlan);
        try
        {
            CapabilityCheckRegistry.Default = check;
            Environment.SetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable, null);
            var skipping = await FourDrivers.GetData(Method(nameof(Samples.Tcp_throughput)), new DisposalTracker());
            Environment.SetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable, "1");
            var requiring = await FourDrivers.GetData(Method(nameof(Samples.Tcp_throughput)), new DisposalTracker());

            Assert.Equal(0, check.Calls);
            Assert.Equal(16, skipping.Count);
            Assert.Equal(16, requiring.Count);
            Assert.DoesNotContain(skipping, r => r.Skip is not null);
            Assert.DoesNotContain(requiring, r => r.Skip is not null);
        }
        finally
        {
            CapabilityCheckRegistry.Default = previousCheck;
            Environment.SetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable, previousVariable);
        }
    }

    [Fact]
    public void Without_a_registered_check_the_real_check_of_this_machine_is_used()
    {
        Assert.IsType<CapabilityCheck>(CapabilityCheckRegistry.Default, exactMatch: false);
    }

    [Fact]
    public void Full_scale_rows_are_explicit_and_labelled_full()
    {
        var rows = new DriverTheoryAttribute(Driver.Bridge).GetRows(Method(nameof(Samples.Full_scale))).ToList();

        Assert.Equal(2, rows.Count);
        Assert.All(rows, r => Assert.True(r.Explicit));
        Assert.All(rows, r => Assert.Equal(["full"], r.Traits!["scale"]));
    }

    [Fact]
    public void The_plan_carries_trials_and_scale_from_the_settings()
    {
        var plan = new DriverTheoryAttribute(Driver.Bridge).PlanFor(Method(nameof(Samples.Full_scale)));

        Assert.All(plan.Cells, c => Assert.Equal(20, c.Trials));
        Assert.All(plan.Cells, c => Assert.Equal(Scale.Full, c.Scale));
        Assert.Equal("Samples.Full_scale", plan.Scenario);
    }

    [Fact]
    public void An_invalid_declaration_fails_GetData_with_every_error()
    {
        var method = Method(nameof(Samples.Broken));

        var ex = Assert.Throws<PlanValidationException>(() => new DriverTheoryAttribute(Driver.Bridge, Driver.Bridge).GetRows(method));

        Assert.Equal(
            [
                "'Samples.Broken' has [DriverTheory(Driver.Bridge, Driver.Bridge)] with value Bridge more than once; remove the duplicate",
                "'Samples.Broken' has [PairsRange(5, 1, 1)], which starts at 5, after its end 1; swap 'from' and 'to'",
                "'Samples.Broken' has [MessageSizes(64, 0)] with value 0; 'messageSize' must be 1 or more (bytes); remove or raise it",
                "'Samples.Broken' has [Cores(0)] with value 0; 'cores' must be 1 or more; remove or raise it",
                "'Samples.Broken' has [Trials(0)]; the trial count must be 1 or more",
                "'Samples.Broken' has [MessageSizes] but no parameter named 'messageSize' (int); add the parameter or remove the attribute",
                "'Samples.Broken' has [Cores] but no parameter named 'cores' (int); add the parameter or remove the attribute",
                "'Samples.Broken' has parameter 'protocol' but no attribute supplies it; add [Protocols(...)] or remove the parameter",
            ],
            ex.Errors);
    }

    [Fact]
    public void Declared_traits_of_an_invalid_method_still_list_its_values()
    {
        var traits = new DriverTheoryAttribute(Driver.Bridge, Driver.Host).DeclaredTraits(Method(nameof(Samples.Broken)));

        Assert.Equal(["Bridge", "Host"], traits["driver"]);
        Assert.Equal(["64", "0"], traits["msg"]);
        Assert.Equal(["ci"], traits["scale"]);
    }

    private static MethodInfo Method(string name) => typeof(Samples).GetMethod(name)!;

    // Plain methods: the axis attributes do not make them tests, and the DriverTheoryAttribute is created by each test.
    private static class Samples
    {
        [Pairs(1, 5, 10, 50)]
        public static void Tcp_throughput(Driver driver, int pairs) => _ = (driver, pairs);

        [MessageSizes(64, 1024)]
        [Protocols(Protocol.Tcp, Protocol.Udp)]
        [CpuPinning(CpuPinning.None, CpuPinning.SameCore, CpuPinning.DifferentCores)]
        [Cores(1, 2)]
        public static void Udp_latency(Driver driver, int messageSize, Protocol protocol, CpuPinning pinning, int cores) =>
            _ = (driver, messageSize, protocol, pinning, cores);

        [PairsRange(10, 50, 10)]
        public static void Ranged(Driver driver, int pairs) => _ = (driver, pairs);

        [MessageSizes(64, 1024)]
        [Trials(20)]
        [FullScale]
        public static void Full_scale(Driver driver, int messageSize) => _ = (driver, messageSize);

        [MessageSizes(64, 0)]
        [PairsRange(5, 1)]
        [Cores(0)]
        [Trials(0)]
        public static void Broken(Driver driver, int pairs, Protocol protocol) => _ = (driver, pairs, protocol);
    }
}
