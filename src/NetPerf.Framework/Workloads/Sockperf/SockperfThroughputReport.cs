namespace NetPerf.Workloads.Sockperf;

/// <summary>What a <c>sockperf tp</c> client reported.</summary>
/// <param name="Version">sockperf's version.</param>
/// <param name="MessagesSent">Messages sent.</param>
/// <param name="Seconds">Seconds the sending took.</param>
/// <param name="MessagesPerSecond">The message rate sockperf printed.</param>
internal sealed record SockperfThroughputReport(string Version, long MessagesSent, double Seconds, double MessagesPerSecond);
