using Xunit.Sdk;
using Xunit.v3;

namespace NetPerf.Sdk;

/// <summary>
/// The single test case that stands for a <see cref="DriverTheoryAttribute"/> method whose experiment plan is invalid:
/// it fails with the validation message when run.
/// </summary>
/// <remarks>
/// Unlike xUnit's own error test case it carries traits (every declared axis value and the scale), so a run filtered
/// with <c>--filter-trait "driver=Bridge"</c> or <c>"scale=ci"</c> still shows the broken method instead of silently
/// dropping it.
/// </remarks>
public sealed class PlanErrorTestCase : XunitTestCase
{
    private string? _errorMessage;

    /// <summary>Called by the de-serializer only.</summary>
    [Obsolete("Called by the de-serializer; use the constructor that takes the error message.")]
    public PlanErrorTestCase()
    {
    }

    /// <summary>Creates the test case.</summary>
    /// <param name="testMethod">The test method.</param>
    /// <param name="testCaseDisplayName">The display name.</param>
    /// <param name="uniqueID">The unique id of the test case.</param>
    /// <param name="explicit">True when the method is explicit (its theory says so): the error then shows only when explicit tests run.</param>
    /// <param name="traits">The traits to report, so trait filters still select the case.</param>
    /// <param name="sourceFilePath">The source file, if known.</param>
    /// <param name="sourceLineNumber">The source line, if known.</param>
    /// <param name="errorMessage">The validation message (all errors) the test fails with.</param>
    public PlanErrorTestCase(
        IXunitTestMethod testMethod,
        string testCaseDisplayName,
        string uniqueID,
        bool @explicit,
        Dictionary<string, HashSet<string>> traits,
        string? sourceFilePath,
        int? sourceLineNumber,
        string errorMessage)
        : base(testMethod, testCaseDisplayName, uniqueID, @explicit, traits: traits, sourceFilePath: sourceFilePath, sourceLineNumber: sourceLineNumber) =>
        _errorMessage = errorMessage ?? throw new ArgumentNullException(nameof(errorMessage));

    /// <summary>The validation message the test fails with.</summary>
    public string ErrorMessage => _errorMessage ?? throw new InvalidOperationException($"'{nameof(ErrorMessage)}' was not set; create '{nameof(PlanErrorTestCase)}' with its message or deserialize it.");

    /// <summary>Fails the test case with <see cref="ErrorMessage"/> instead of creating tests.</summary>
    /// <returns>Never returns.</returns>
    public override ValueTask<IReadOnlyCollection<IXunitTest>> CreateTests() => throw new TestPipelineException(ErrorMessage);

    /// <inheritdoc />
    protected override void Serialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        base.Serialize(info);
        info.AddValue("em", ErrorMessage);
    }

    /// <inheritdoc />
    protected override void Deserialize(IXunitSerializationInfo info)
    {
        ArgumentNullException.ThrowIfNull(info);
        base.Deserialize(info);
        _errorMessage = info.GetValue<string>("em") ?? throw new InvalidOperationException($"The serialized '{nameof(PlanErrorTestCase)}' has no error message.");
    }
}
