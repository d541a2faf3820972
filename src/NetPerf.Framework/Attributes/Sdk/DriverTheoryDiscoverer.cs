using NetPerf.Plan;
using Xunit.Sdk;
using Xunit.v3;

namespace NetPerf.Sdk;

/// <summary>Discovers the cells of a <see cref="DriverTheoryAttribute"/> method, turning an invalid plan into one failing test case.</summary>
/// <remarks>
/// xUnit's theory discoverer hides an exception thrown while it enumerates the data (it falls back to one test case
/// without the data traits, which trait filters then drop). This discoverer validates the plan first and, when it is
/// invalid, returns a <see cref="PlanErrorTestCase"/> that is listed under the method's name, matches the declared
/// traits and fails with every validation error.
/// </remarks>
public sealed class DriverTheoryDiscoverer : TheoryDiscoverer
{
    /// <inheritdoc />
    public override async ValueTask<IReadOnlyCollection<IXunitTestCase>> Discover(
        ITestFrameworkDiscoveryOptions discoveryOptions,
        IXunitTestMethod testMethod,
        IFactAttribute factAttribute)
    {
        ArgumentNullException.ThrowIfNull(testMethod);
        if (factAttribute is DriverTheoryAttribute theory && factAttribute.Skip is null)
        {
            try
            {
                theory.PlanFor(testMethod.Method);
            }
            catch (PlanValidationException ex)
            {
                var details = TestIntrospectionHelper.GetTestCaseDetails(discoveryOptions, testMethod, theory);
                var traits = new Dictionary<string, HashSet<string>>(StringComparer.OrdinalIgnoreCase);
                foreach (var trait in testMethod.Traits.Concat(theory.DeclaredTraits(testMethod.Method)))
                {
                    if (!traits.TryGetValue(trait.Key, out var values))
                    {
                        values = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
                        traits[trait.Key] = values;
                    }

                    values.UnionWith(trait.Value);
                }

                return
                [
                    new PlanErrorTestCase(
                        details.ResolvedTestMethod,
                        testMethod.MethodName,
                        details.UniqueID,
                        details.Explicit,
                        traits,
                        details.SourceFilePath,
                        details.SourceLineNumber,
                        ex.Message),
                ];
            }
        }

        return await base.Discover(discoveryOptions, testMethod, factAttribute).ConfigureAwait(false);
    }
}
