using System.Globalization;
using System.Text;
using CsCheck;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Fuzz;

/// <summary>Runs a parser on mutants of real inputs and collects every outcome that breaks its contract.</summary>
/// <remarks>
/// Iteration <c>i</c> draws its mutant from its own generator state (stream <c>i</c>, seed <see cref="Seed"/>), so a
/// failure names the seed and iteration that reproduce it. The normal test run uses a fixed seed and
/// <see cref="DefaultIterations"/>; <c>NETPERF_FUZZ_ITERATIONS</c> and <c>NETPERF_FUZZ_SEED</c> make a longer or
/// different run (<c>--filter-trait Category=Fuzz</c>).
/// </remarks>
internal static class Fuzzer
{
    /// <summary>Iterations per parser in the normal test run (a few seconds for all of them).</summary>
    public const int DefaultIterations = 1500;

    /// <summary>The iterations of this run.</summary>
    public static int Iterations =>
        int.TryParse(Environment.GetEnvironmentVariable("NETPERF_FUZZ_ITERATIONS"), NumberStyles.None, CultureInfo.InvariantCulture, out var n) && n > 0
            ? n
            : DefaultIterations;

    /// <summary>The seed of this run; fixed unless <c>NETPERF_FUZZ_SEED</c> is set.</summary>
    public static ulong Seed =>
        ulong.TryParse(Environment.GetEnvironmentVariable("NETPERF_FUZZ_SEED"), NumberStyles.None, CultureInfo.InvariantCulture, out var s) ? s : 20261213;

    /// <summary>
    /// Parses <see cref="Iterations"/> mutants of <paramref name="originals"/>. Each must either parse into a result that
    /// <paramref name="check"/> accepts, or throw <typeparamref name="TExpected"/> whose message <paramref name="names"/>
    /// accepts (it names the container or file). Anything else is collected and reported with the input that caused it.
    /// </summary>
    /// <returns>How many mutants parsed and how many were rejected with the expected exception.</returns>
    public static (int Parsed, int Rejected) Run<TResult, TExpected>(
        IReadOnlyList<string> originals, Func<string, TResult> parse, Action<TResult> check, Func<TExpected, bool> names)
        where TExpected : Exception
    {
        var generators = originals.Select(Mutations.Of).ToArray();
        var failures = new Dictionary<string, string>(StringComparer.Ordinal);
        int parsed = 0, rejected = 0, iterations = Iterations;
        ulong seed = Seed;
        for (int i = 0; i < iterations; i++)
        {
            var original = originals[i % originals.Count];
            var mutant = generators[i % generators.Length].Generate(new PCG((uint)i, seed), null, out _);
            string? failure;
            try
            {
                check(parse(mutant));
                parsed++;
                failure = null;
            }
            catch (FuzzCheckException e)
            {
                failure = "parsed into a result that breaks the contract: " + e.Message;
            }
            catch (TExpected e)
            {
                rejected++;
                failure = names(e) ? null : $"{typeof(TExpected).Name} whose message does not name the input: {e.Message}";
            }
            catch (Exception e)
            {
                failure = $"{e.GetType().Name}: {e.Message} at {e.StackTrace?.Split('\n').FirstOrDefault()?.Trim()}";
            }
            // One example per kind of failure is enough to find the bug.
            if (failure is not null)
                failures.TryAdd(Kind(failure), $"seed {seed}, iteration {i}: {failure}\n  input (original {i % originals.Count}, changed part): {Show(Changed(original, mutant))}");
        }
        ReliabilityLedger.Inputs("4. Bad input", "mutants of tool outputs and baselines (fuzzing)", iterations);
        if (failures.Count > 0)
            Assert.Fail($"{failures.Count} kind(s) of contract violation in {iterations} mutants:\n" + string.Join("\n", failures.Values));
        TestContext.Current.SendDiagnosticMessage($"{iterations} mutants (seed {seed}): {parsed} parsed, {rejected} rejected");
        return (parsed, rejected);
    }

    /// <summary>Fails the contract check when <paramref name="value"/> is not finite or is negative.</summary>
    public static void NonNegative(double value, string what)
    {
        if (!double.IsFinite(value) || value < 0)
            throw new FuzzCheckException($"{what} is {value.ToString(CultureInfo.InvariantCulture)}; expected a finite value >= 0.");
    }

    /// <summary>As <see cref="NonNegative(double, string)"/>, for an optional value.</summary>
    public static void NonNegative(double? value, string what)
    {
        if (value is { } v)
            NonNegative(v, what);
    }

    /// <summary>Fails the contract check unless <paramref name="condition"/> holds.</summary>
    public static void That(bool condition, string what)
    {
        if (!condition)
            throw new FuzzCheckException(what);
    }

    private static string Kind(string failure) => failure.Length <= 60 ? failure : failure[..60];

    /// <summary>The part of <paramref name="mutant"/> that differs from <paramref name="original"/>, with some context.</summary>
    private static string Changed(string original, string mutant)
    {
        int prefix = 0;
        while (prefix < original.Length && prefix < mutant.Length && original[prefix] == mutant[prefix])
            prefix++;
        int suffix = 0;
        while (suffix < original.Length - prefix && suffix < mutant.Length - prefix && original[^(suffix + 1)] == mutant[^(suffix + 1)])
            suffix++;
        int from = Math.Max(0, prefix - 80), to = Math.Min(mutant.Length, mutant.Length - suffix + 80);
        return (from > 0 ? "..." : "") + mutant[from..Math.Max(from, to)] + (to < mutant.Length ? "..." : "");
    }

    /// <summary>The mutant as a C# string literal (so it can be pasted into a regression test), shortened around its middle.</summary>
    private static string Show(string mutant)
    {
        var shown = mutant.Length <= 1500 ? mutant : mutant[..700] + " ... " + mutant[^700..];
        var literal = new StringBuilder("\"");
        foreach (char c in shown)
        {
            literal.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\r' => "\\r",
                '\t' => "\\t",
                _ when char.IsControl(c) || c > '~' => $"\\u{(int)c:x4}",
                _ => c.ToString(),
            });
        }
        return literal.Append('"').ToString();
    }
}

/// <summary>A parsed result broke the parser's contract (a negative or non-finite number, an impossible count).</summary>
internal sealed class FuzzCheckException(string message) : Exception(message);
