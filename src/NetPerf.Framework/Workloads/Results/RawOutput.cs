// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Results (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A tool's raw output, kept so a runner can attach it to the test result.</summary>
/// <param name="FileName">A file name for the attachment, e.g. <c>pair-0.client.iperf3.json</c>.</param>
/// <param name="NodeName">The container that produced it.</param>
/// <param name="Content">The text, as the tool wrote it.</param>
public sealed record RawOutput(string FileName, string NodeName, string Content);
