using NetPerf.Sdk;
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

        [DriverTheory(Driver.Host, Driver.Bridge)]
        [Pairs(0)]
        [MessageSizes(64)]
        public void Invalid(Driver driver, int pairs) => _ = (driver, pairs);
    }
}
