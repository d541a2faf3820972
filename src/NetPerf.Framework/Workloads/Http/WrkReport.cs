namespace NetPerf.Workloads.Http;

/// <summary>What one <c>wrk --latency</c> run reported; latencies in microseconds, sizes in bytes.</summary>
/// <remarks>
/// A latency is wrk's time from writing a request to reading the whole response, on a connection that is
/// kept open (a round trip plus the server's work, not a one-way time). wrk prints every time and size with
/// 2 decimals of a unit it chooses (<c>0.96ms</c>, <c>177.75MB</c>), so the values here carry that rounding.
/// </remarks>
/// <param name="Url">The URL wrk loaded, from its <c>Running 3s test @ URL</c> line.</param>
/// <param name="Threads">wrk's threads (<c>-t</c>).</param>
/// <param name="Connections">Connections kept open, over all threads (<c>-c</c>).</param>
/// <param name="Requests">Responses read completely; at least 1.</param>
/// <param name="Seconds">The run's length as wrk measured it.</param>
/// <param name="BytesRead">Bytes read, headers included (wrk's binary units: 1 KB = 1024 bytes).</param>
/// <param name="RequestsPerSecond">Completed responses per second (<c>Requests/sec:</c>).</param>
/// <param name="TransferBytesPerSecond">Bytes read per second (<c>Transfer/sec:</c>, binary units).</param>
/// <param name="LatencyAverage">Mean latency (the <c>Latency</c> row of the thread stats).</param>
/// <param name="LatencyMax">Largest latency.</param>
/// <param name="P50">Median latency (<c>Latency Distribution</c>).</param>
/// <param name="P75">75th percentile latency.</param>
/// <param name="P90">90th percentile latency.</param>
/// <param name="P99">99th percentile latency.</param>
/// <param name="SocketErrors">Connect, read, write and timeout errors.</param>
/// <param name="Non2xxOr3xxResponses">Responses whose status was above 399, which wrk labels <c>Non-2xx or 3xx responses</c>; they are counted in <paramref name="Requests"/> too.</param>
internal sealed record WrkReport(
    string Url,
    int Threads,
    int Connections,
    long Requests,
    double Seconds,
    double BytesRead,
    double RequestsPerSecond,
    double TransferBytesPerSecond,
    double LatencyAverage,
    double LatencyMax,
    double P50,
    double P75,
    double P90,
    double P99,
    WrkSocketErrors SocketErrors,
    long Non2xxOr3xxResponses);
