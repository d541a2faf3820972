using Xunit.Sdk;
using Xunit.v3;

namespace NetPerf.Tests.Attributes;

/// <summary>Catches a dynamic skip (<see cref="Assert.Skip(string)"/>) to assert on it.</summary>
/// <remarks>
/// <see cref="Assert.Throws{T}(Action)"/> rethrows an exception that carries xUnit's dynamic skip token, so the test
/// that called it would itself be skipped instead of asserting anything.
/// </remarks>
internal static class DynamicSkip
{
    /// <summary>Runs <paramref name="action"/> and returns the reason of the skip it threw; fails when it threw none.</summary>
    public static string ReasonOf(Action action)
    {
        try
        {
            action();
        }
        catch (Exception e) when (e.Message.StartsWith(DynamicSkipToken.Value, StringComparison.Ordinal))
        {
            Assert.IsType<SkipException>(e);
            return e.Message[DynamicSkipToken.Value.Length..];
        }

        Assert.Fail("Expected a dynamic skip (Assert.Skip), but nothing was thrown.");
        return "";
    }
}
