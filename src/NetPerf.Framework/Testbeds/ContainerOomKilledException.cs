namespace NetPerf.Testbeds;

/// <summary>
/// A command in a testbed's container was ended by the kernel's OOM killer: the container went past its memory limit.
/// </summary>
/// <remarks>
/// Thrown by the testbed's exec; a workload that gets it reports it as the tool's failure on that container (the message
/// is kept whole). Testbed-layer, so the workloads do not know this type (see the layering tests).
/// </remarks>
internal sealed class ContainerOomKilledException(string message, string nodeName) : Exception(message)
{
    /// <summary>The container whose command was killed.</summary>
    public string NodeName { get; } = nodeName;
}
