using NetPerf.Sdk;

namespace NetPerf.Tests.Attributes;

/// <summary>The order cells run in, so that cells sharing a reused testbed follow each other, largest first.</summary>
public sealed class TestbedOrdererTests
{
    private static (string Method, IReadOnlyDictionary<string, IReadOnlyCollection<string>> Traits, string DisplayName) Case(string method, string driver, int pairs, params (string Key, string Value)[] axes)
    {
        var traits = new Dictionary<string, IReadOnlyCollection<string>> { ["driver"] = [driver], ["pairs"] = [pairs.ToString(System.Globalization.CultureInfo.InvariantCulture)], ["scale"] = ["full"] };
        foreach (var (key, value) in axes) traits[key] = [value];
        return (method, traits, $"{method}(driver: {driver}, pairs: {pairs}{string.Concat(axes.Select(a => $", {a.Key}: {a.Value}"))})");
    }

    [Fact]
    public void Cells_are_grouped_by_method_driver_and_container_axes_with_the_most_pairs_first()
    {
        // As xUnit's default order might give them: drivers alternating, pair counts mixed.
        var cases = new[]
        {
            Case("Aggregate", "Ovs", 1), Case("Aggregate", "Bridge", 10), Case("Aggregate", "Ovs", 50),
            Case("Aggregate", "Bridge", 50), Case("Aggregate", "Bridge", 1),
            Case("Pinning", "Bridge", 1, ("pinning", "SameCore")), Case("Pinning", "Bridge", 10, ("pinning", "None")),
            Case("Pinning", "Bridge", 10, ("pinning", "SameCore")), Case("Pinning", "Bridge", 1, ("pinning", "None")),
            Case("Sizes", "Bridge", 1, ("msg", "64")), Case("Sizes", "Bridge", 1, ("msg", "1024")),
        };

        var order = TestbedOrderer.Order(cases.Reverse(), c => c).Select(c => c.DisplayName).ToList();

        Assert.Equal(
        [
            "Aggregate(driver: Bridge, pairs: 50)", "Aggregate(driver: Bridge, pairs: 10)", "Aggregate(driver: Bridge, pairs: 1)",
            "Aggregate(driver: Ovs, pairs: 50)", "Aggregate(driver: Ovs, pairs: 1)",
            "Pinning(driver: Bridge, pairs: 10, pinning: None)", "Pinning(driver: Bridge, pairs: 1, pinning: None)",
            "Pinning(driver: Bridge, pairs: 10, pinning: SameCore)", "Pinning(driver: Bridge, pairs: 1, pinning: SameCore)",
            "Sizes(driver: Bridge, pairs: 1, msg: 1024)", "Sizes(driver: Bridge, pairs: 1, msg: 64)",
        ], order);
    }

    [Fact]
    public void The_order_does_not_depend_on_the_order_cells_come_in()
    {
        var cases = Enumerable.Range(1, 12).Select(i => Case("M", i % 3 == 0 ? "Host" : "Bridge", i, ("cores", (i % 2 + 1).ToString(System.Globalization.CultureInfo.InvariantCulture)))).ToList();
        var forward = TestbedOrderer.Order(cases, c => c).Select(c => c.DisplayName);
        var backward = TestbedOrderer.Order(Enumerable.Reverse(cases), c => c).Select(c => c.DisplayName);
        Assert.Equal(forward, backward);
    }
}
