using NetPerf.Sdk;
using NetPerf.Testbeds;
using Xunit.Runner.Common;
using Xunit.Sdk;
using Xunit.v3;

namespace NetPerf.Tests.Attributes;

public class DriverTheoryDiscovererTests
{
    [Fact]
    public async Task A_valid_method_is_discovered_as_one_case_per_cell_with_readable_names_and_traits()
    {
        var cases = await Discover(nameof(Samples.Valid));

        Assert.Equal(
            ["Valid(driver: Host, pairs: 1)", "Valid(driver: Host, pairs: 5)", "Valid(driver: Bridge, pairs: 1)", "Valid(driver: Bridge, pairs: 5)"],
            cases.Select(c => c.TestCaseDisplayName));
        var bridge5 = cases.Single(c => c.TestCaseDisplayName == "Valid(driver: Bridge, pairs: 5)");
        Assert.Equal(["Bridge"], bridge5.Traits["driver"]);
        Assert.Equal(["5"], bridge5.Traits["pairs"]);
        Assert.Equal(["ci"], bridge5.Traits["scale"]);
    }

    [Fact]
    public async Task An_invalid_method_is_discovered_as_one_failing_case_that_carries_the_message_and_the_declared_traits()
    {
        var cases = await Discover(nameof(Samples.Invalid));

        var testCase = Assert.IsType<PlanErrorTestCase>(Assert.Single(cases));
        Assert.Equal("Invalid", testCase.TestCaseDisplayName);
        Assert.StartsWith("The experiment plan of 'Samples.Invalid' has 2 errors:", testCase.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("'Samples.Invalid' has [Pairs(0)] with value 0; 'pairs' must be 1 or more; remove or raise it", testCase.ErrorMessage, StringComparison.Ordinal);
        Assert.Contains("'Samples.Invalid' has [MessageSizes] but no parameter named 'messageSize' (int); add the parameter or remove the attribute", testCase.ErrorMessage, StringComparison.Ordinal);
        Assert.Equal(["Bridge", "Host"], testCase.Traits["driver"].Order());
        Assert.Equal(["ci"], testCase.Traits["scale"]);
        var thrown = await Assert.ThrowsAsync<TestPipelineException>(async () => await testCase.CreateTests());
        Assert.Equal(testCase.ErrorMessage, thrown.Message);
    }

    [Fact]
    public void The_error_case_survives_serialization()
    {
        var testMethod = TestMethod(nameof(Samples.Invalid));
        var original = new PlanErrorTestCase(testMethod, "Invalid", "id-1", false, new() { ["driver"] = ["Bridge"] }, null, null, "the message");

        var copy = Assert.IsType<PlanErrorTestCase>(SerializationHelper.Instance.Deserialize(SerializationHelper.Instance.Serialize(original)));

        Assert.Equal("the message", copy.ErrorMessage);
        Assert.Equal(["Bridge"], copy.Traits["driver"]);
    }

    [Fact]
    public async Task Discovery_asks_no_capability_check_and_gives_no_case_a_skip_reason()
    {
        var previous = CapabilityCheckRegistry.Default;
        var check = new FakeCapabilityCheck(Driver.Bridge);
        try
        {
            CapabilityCheckRegistry.Default = check;

            var cases = await Discover(nameof(Samples.Valid));

            Assert.Equal(4, cases.Count);
            Assert.All(cases, c => Assert.Null(c.SkipReason));
            Assert.Equal(0, check.Calls);
        }
        finally
        {
            CapabilityCheckRegistry.Default = previous;
        }
    }

    [Fact]
    public async Task A_cell_of_an_unavailable_driver_run_by_xunit_counts_as_skipped_with_the_reason_or_as_failed_when_all_drivers_are_required()
    {
        var previousCheck = CapabilityCheckRegistry.Default;
        var previousVariable = Environment.GetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable);
        try
        {
            CapabilityCheckRegistry.Default = new FakeCapabilityCheck(Driver.Bridge);
            var cases = await Discover(nameof(Samples.Unavailable));
            var bridge = cases.Single(c => c.TestCaseDisplayName == "Unavailable(driver: Bridge, pairs: 1)");
            var host = cases.Single(c => c.TestCaseDisplayName == "Unavailable(driver: Host, pairs: 1)");

            Environment.SetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable, null);
            var (skipped, skippedMessages) = await Run(bridge);
            var (passed, _) = await Run(host);
            Environment.SetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable, "1");
            var (failed, failedMessages) = await Run(bridge);

            // xUnit's own runner decides: the skip thrown by [DriverTheory] before the body makes the cell skipped, not failed.
            Assert.Equal((1, 1, 0), (skipped.Total, skipped.Skipped, skipped.Failed));
            Assert.Equal(
                $"Driver 'Bridge' is not available on this machine: {FakeCapabilityCheck.Reason}",
                Assert.Single(skippedMessages.OfType<ITestSkipped>()).Reason);
            Assert.Empty(skippedMessages.OfType<ITestFailed>());
            Assert.Equal((1, 0, 0), (passed.Total, passed.Skipped, passed.Failed));
            Assert.Equal((1, 0, 1), (failed.Total, failed.Skipped, failed.Failed));
            var failure = Assert.Single(failedMessages.OfType<ITestFailed>());
            Assert.Equal(typeof(DriverUnavailableException).FullName, failure.ExceptionTypes[0]);
            Assert.StartsWith($"Driver 'Bridge' is not available on this machine: {FakeCapabilityCheck.Reason}. The cell fails instead of being skipped", failure.Messages[0], StringComparison.Ordinal);
        }
        finally
        {
            CapabilityCheckRegistry.Default = previousCheck;
            Environment.SetEnvironmentVariable(DriverTheoryAttribute.RequireAllDriversVariable, previousVariable);
        }
    }

    // One test case through xUnit's own runner (before-attributes, body, skip or failure decision), its messages kept.
    private static async Task<(RunSummary Summary, IReadOnlyList<IMessageSinkMessage> Messages)> Run(IXunitTestCase testCase)
    {
        using var bus = new CollectingMessageBus();
        using var cancellation = new CancellationTokenSource();
        var tests = await testCase.CreateTests();
        var summary = await XunitTestCaseRunner.Instance.Run(
            testCase, tests, bus, new ExceptionAggregator(), cancellation, testCase.TestCaseDisplayName, testCase.SkipReason, ExplicitOption.Off, []);
        return (summary, bus.Messages);
    }

    private static async Task<IReadOnlyCollection<IXunitTestCase>> Discover(string method)
    {
        var options = TestFrameworkOptions.ForDiscovery(new TestAssemblyConfiguration { PreEnumerateTheories = true });
        var testMethod = TestMethod(method);
        var attribute = testMethod.Method.GetCustomAttributes(false).OfType<DriverTheoryAttribute>().Single();
        return await new DriverTheoryDiscoverer().Discover(options, testMethod, attribute);
    }

    private static XunitTestMethod TestMethod(string method)
    {
        var assembly = new XunitTestAssembly(typeof(Samples).Assembly, null, null, null);
        var collection = new XunitTestCollection(assembly, null, false, "samples", null);
        var testClass = new XunitTestClass(typeof(Samples), collection, null);
        return new XunitTestMethod(testClass, typeof(Samples).GetMethod(method)!, [], null);
    }

    // Abstract, so xUnit does not collect these methods as tests of this project (the invalid one would fail the run);
    // the tests above hand them to the discoverer directly.
    public abstract class Samples
    {
        [DriverTheory(Driver.Host, Driver.Bridge)]
        [Pairs(1, 5)]
        public void Valid(Driver driver, int pairs) => _ = (driver, pairs);

        // Static, so xUnit's runner needs no instance of this abstract class; Bridge is the driver the tests make unavailable.
        [DriverTheory(Driver.Host, Driver.Bridge)]
        [Pairs(1)]
        public static void Unavailable(Driver driver, int pairs)
        {
            if (driver == Driver.Bridge) throw new InvalidOperationException($"The body of a cell whose driver is unavailable ran ({pairs} pair).");
        }

        [DriverTheory(Driver.Host, Driver.Bridge)]
        [Pairs(0)]
        [MessageSizes(64)]
        public void Invalid(Driver driver, int pairs) => _ = (driver, pairs);
    }
}
