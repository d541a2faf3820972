using System.Diagnostics;
using System.Globalization;
using System.Reflection;
using CsCheck;
using NetPerf.Plan;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Fuzz;

/// <summary>
/// Property tests of attribute values out of range: any pair count, message size, core count or range a scenario
/// declares either makes cells or is a plan error that names the method and the attribute, quickly; never an
/// exception, a hang or a huge matrix.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class AttributeValueFuzzTests
{
    private static readonly Gen<int> AnyInt = Gen.Frequency((3, Gen.Int[-3, 12]), (1, Gen.Int), (1, Gen.Int[0, 4].Select(k => new[] { int.MinValue, int.MaxValue, 0, -1, AxisValues.MaxRangeValues }[k])));

    [Fact]
    public void Pairs_message_sizes_and_cores_are_errors_exactly_when_below_1()
    {
        var gen = Gen.Select(AnyInt.Array[1, 6], AnyInt.Array[1, 4], AnyInt.Array[1, 4]);

        Run(gen, (pairs, sizes, cores) =>
        {
            var errors = Builder(nameof(Samples.AllAxes))
                .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
                .WithAxis(AxisValues.Of(Axis.Pairs, pairs))
                .WithAxis(AxisValues.Of(Axis.MessageSize, sizes))
                .WithAxis(AxisValues.Of(Axis.Protocol, [Protocol.Tcp]))
                .WithAxis(AxisValues.Of(Axis.Pinning, [CpuPinning.None]))
                .WithAxis(AxisValues.Of(Axis.Cores, cores))
                .Validate();

            foreach (var (values, attribute) in new[] { (pairs, "Pairs"), (sizes, "MessageSizes"), (cores, "Cores") })
            {
                foreach (var bad in values.Where(v => v < 1).Distinct())
                {
                    var value = bad.ToString(CultureInfo.InvariantCulture);
                    Assert.Contains(errors, e => e.StartsWith($"'Samples.AllAxes' has [{attribute}(", StringComparison.Ordinal) && e.Contains($" with value {value}; ", StringComparison.Ordinal));
                }
            }
            Assert.Equal(pairs.Concat(sizes).Concat(cores).All(v => v >= 1) && DistinctEach(pairs, sizes, cores), errors.Count == 0);
        });
    }

    [Fact]
    public void A_range_makes_its_values_or_says_what_to_change_never_a_huge_matrix()
    {
        Run(Gen.Select(AnyInt, AnyInt, AnyInt), (from, to, step) =>
        {
            var watch = Stopwatch.StartNew();
            var range = AxisValues.Range(Axis.Pairs, from, to, step, "PairsRange");
            var errors = Builder(nameof(Samples.DriverAndPairs))
                .WithAxis(AxisValues.Of(Axis.Driver, [Driver.Bridge]))
                .WithAxis(range)
                .Validate();

            Assert.True(watch.Elapsed < TimeSpan.FromSeconds(1), $"[PairsRange({from}, {to}, {step})] took {watch.Elapsed}");
            Assert.True(range.Values.Count <= AxisValues.MaxRangeValues, $"[PairsRange({from}, {to}, {step})] made {range.Values.Count} values");
            Assert.All(errors, e => Assert.StartsWith($"'Samples.DriverAndPairs' has [PairsRange({from}, {to}, {step})]", e, StringComparison.Ordinal));
            bool valid = step >= 1 && from >= 1 && from <= to && ((long)to - from) / step < AxisValues.MaxRangeValues;
            Assert.Equal(valid, errors.Count == 0);
            if (valid)
                Assert.Equal(Enumerable.Range(0, (int)(((long)to - from) / step) + 1).Select(i => (object)(int)(from + (long)i * step)), range.Values);
        });
    }

    [Fact]
    public void The_range_that_used_to_build_two_billion_values_is_an_error_at_once()
    {
        // Was a loop adding 2,147,483,647 boxed values (minutes, then out of memory) before any error was shown.
        var range = AxisValues.Range(Axis.Pairs, 1, int.MaxValue, 1, "PairsRange");

        Assert.Empty(range.Values);
        Assert.Equal(["[PairsRange(1, 2147483647, 1)], which makes 2147483647 values, more than the 10000 a range may make; raise the step or narrow the range"], range.Problems);
    }

    private static bool DistinctEach(params int[][] axes) => axes.All(a => a.Distinct().Count() == a.Length);

    private static void Run<T1, T2, T3>(Gen<(T1, T2, T3)> gen, Action<T1, T2, T3> property)
    {
        // A fixed seed per iteration, as in Fuzzer, so a failure names what reproduces it.
        ReliabilityLedger.Inputs("4. Bad input", "attribute values (fuzzing)", Fuzzer.Iterations / 5);
        for (int i = 0; i < Fuzzer.Iterations / 5; i++)
        {
            var (a, b, c) = gen.Generate(new PCG((uint)i, Fuzzer.Seed), null, out _);
            try
            {
                property(a, b, c);
            }
            catch (Exception e)
            {
                throw new InvalidOperationException($"seed {Fuzzer.Seed}, iteration {i}: ({Check.Print(a)}, {Check.Print(b)}, {Check.Print(c)}) broke the property: {e.Message}", e);
            }
        }
    }

    private static MatrixBuilder Builder(string method) =>
        MatrixBuilder.For(typeof(Samples).GetMethod(method, BindingFlags.Public | BindingFlags.Static)!);

    // Plain methods (no test attribute): only their parameter lists matter.
    private static class Samples
    {
        public static void DriverAndPairs(Driver driver, int pairs) => _ = (driver, pairs);

        public static void AllAxes(Driver driver, int pairs, int messageSize, Protocol protocol, CpuPinning pinning, int cores) =>
            _ = (driver, pairs, messageSize, protocol, pinning, cores);
    }
}
