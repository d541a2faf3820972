using System.Globalization;
using Xunit.Sdk;
using Xunit.v3;

namespace NetPerf.Sdk;

/// <summary>
/// Orders the cells of a test class so that cells which can share a testbed run one after another, the largest pair
/// count first: by method, then driver, then the axes that change the containers (cores, pinning), then pairs from
/// most to fewest, then the other axes.
/// </summary>
/// <remarks>
/// <para>
/// A reused testbed (the full-scale forms, <c>NETPERF_REUSE_TESTBEDS</c>) is kept only while the next cell wants the same
/// driver and container settings; xUnit's default order (by a hash of each test case's id) alternates drivers, and each
/// change tears a testbed down and provisions another. The first paper-scale run here provisioned a fresh 50-pair
/// testbed for most cells that way. xUnit runs the cells of one method together whatever the order, so the method
/// comes first in the key.
/// </para>
/// <para>
/// The NetPerf package registers it for a scenario project (<c>[assembly: TestCaseOrderer(typeof(TestbedOrderer))]</c>
/// through its build files); set the MSBuild property <c>NetPerfOrderCells</c> to <c>false</c> to bring your own.
/// </para>
/// </remarks>
public sealed class TestbedOrderer : ITestCaseOrderer
{
    // Axes that change what the containers are (cpuset, CPU quota): cells that differ in them cannot share a testbed.
    private static readonly string[] ContainerAxes = ["cores", "pinning"];

    /// <inheritdoc />
    public IReadOnlyCollection<TTestCase> OrderTestCases<TTestCase>(IReadOnlyCollection<TTestCase> testCases)
        where TTestCase : notnull, ITestCase
    {
        ArgumentNullException.ThrowIfNull(testCases);
        return Order(testCases, t => (t.TestMethodName, t.Traits, t.TestCaseDisplayName));
    }

    /// <summary>Orders items described by method name, traits and display name (see the class remarks).</summary>
    internal static IReadOnlyList<T> Order<T>(IEnumerable<T> items, Func<T, (string? Method, IReadOnlyDictionary<string, IReadOnlyCollection<string>> Traits, string DisplayName)> describe) =>
        [.. items.OrderBy(i => Key(describe(i)), KeyComparer.Instance)];

    private static List<IComparable> Key((string? Method, IReadOnlyDictionary<string, IReadOnlyCollection<string>> Traits, string DisplayName) testCase)
    {
        var traits = testCase.Traits;
        string Trait(string name) => traits.TryGetValue(name, out var values) && values.Count > 0 ? string.Join(",", values.Order(StringComparer.Ordinal)) : "";
        var pairs = int.TryParse(Trait("pairs"), NumberStyles.Integer, CultureInfo.InvariantCulture, out var p) ? p : 0;
        var others = string.Join("/", traits.Keys
            .Where(k => k is not "driver" and not "pairs" && !ContainerAxes.Contains(k))
            .Order(StringComparer.Ordinal)
            .Select(k => $"{k}={Trait(k)}"));
        List<IComparable> key = [testCase.Method ?? "", Trait("driver")];
        key.AddRange(ContainerAxes.Select(Trait));
        key.Add(-pairs);
        key.Add(others);
        key.Add(testCase.DisplayName);
        return key;
    }

    private sealed class KeyComparer : IComparer<List<IComparable>>
    {
        public static readonly KeyComparer Instance = new();

        public int Compare(List<IComparable>? x, List<IComparable>? y)
        {
            ArgumentNullException.ThrowIfNull(x);
            ArgumentNullException.ThrowIfNull(y);
            for (var i = 0; i < Math.Min(x.Count, y.Count); i++)
            {
                var c = x[i] is string a && y[i] is string b ? string.CompareOrdinal(a, b) : x[i].CompareTo(y[i]);
                if (c != 0) return c;
            }
            return x.Count.CompareTo(y.Count);
        }
    }
}
