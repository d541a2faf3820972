// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A workload could not produce a trustworthy measurement: a tool failed or its output made no sense.</summary>
/// <remarks>The message names the container in single quotes and quotes what the tool said.</remarks>
public sealed class WorkloadException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="message">What went wrong, naming the container and quoting the tool.</param>
    /// <param name="nodeName">The container the failure happened in, when it is one container.</param>
    /// <param name="innerException">The underlying failure, if any.</param>
    public WorkloadException(string message, string? nodeName = null, Exception? innerException = null)
        : base(message, innerException) => NodeName = nodeName;

    /// <summary>The container the failure happened in, or <see langword="null"/> when it concerns the whole run.</summary>
    public string? NodeName { get; }
}
