using NetPerf.Tests.Workloads;
using NetPerf.Workloads.Flows;
using NetPerf.Workloads.Http;
using NetPerf.Workloads.Iperf2;
using NetPerf.Workloads.Iperf3;
using NetPerf.Workloads.Mesh;
using NetPerf.Workloads.Sockperf;

namespace NetPerf.Tests.Fuzz;

/// <summary>
/// Mutation fuzzing of every tool-output parser, starting from the real outputs under Canned/: a mutant either parses
/// into finite, non-negative numbers or is rejected with a <see cref="WorkloadException"/> that names the container;
/// never a NullReferenceException, FormatException, OverflowException, KeyNotFoundException or the like.
/// </summary>
[Trait("Category", "Fuzz")]
public sealed class ParserFuzzTests
{
    private const string Node = "client-fuzz-7";

    private static bool NamesNode(WorkloadException e) => e.Message.Contains($"'{Node}'", StringComparison.Ordinal) && e.NodeName == Node;

    private static string[] Read(params string[] paths) => [.. paths.Select(Canned.Read)];

    [Fact]
    public void Iperf3_json()
    {
        var originals = Read(
            "iperf3/tcp-3streams.json", "iperf3/tcp-1stream-omit1.json", "iperf3/tcp-1stream-no-server-output.json",
            "iperf3/tcp-bitrate-500M.json", "iperf3/udp-200M.json", "iperf3/udp-20G-lossy.json", "iperf3/error-server-busy.json");

        var (parsed, _) = Fuzzer.Run(originals, json => Iperf3Parser.Parse(json, Node), report =>
        {
            Fuzzer.That(report.Streams >= 1, $"streams is {report.Streams}");
            foreach (var i in report.SenderIntervals.Concat(report.ReceiverIntervals))
                CheckInterval(i);
            var t = report.Totals;
            Fuzzer.NonNegative(t.SentBytes, "sent bytes");
            Fuzzer.NonNegative(t.ReceivedBytes, "received bytes");
            Fuzzer.NonNegative(t.Seconds, "seconds");
            Fuzzer.NonNegative(t.SenderBitsPerSecond, "sender bit/s");
            Fuzzer.NonNegative(t.ReceiverBitsPerSecond, "receiver bit/s");
            Fuzzer.NonNegative(t.Retransmits, "retransmits");
            Fuzzer.NonNegative(t.MeanRttMicroseconds, "mean RTT");
            Fuzzer.NonNegative(t.UdpJitterMilliseconds, "jitter");
            Fuzzer.NonNegative(t.UdpLostPackets, "lost packets");
            Fuzzer.NonNegative(t.UdpPackets, "packets");
            Fuzzer.NonNegative(t.UdpLostPercent, "lost percent");
            Fuzzer.NonNegative(t.SenderCpuPercent, "sender CPU");
            Fuzzer.NonNegative(t.ReceiverCpuPercent, "receiver CPU");
        }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed; the fuzzing never reached the success path");
    }

    [Fact]
    public void Iperf2_csv()
    {
        var (parsed, _) = Fuzzer.Run(Read("iperf2/tcp-3s.csv", "iperf2/tcp-2streams.csv"), csv => Iperf2Parser.Parse(csv, "", Node), report =>
        {
            Fuzzer.That(report.Streams >= 1, $"streams is {report.Streams}");
            Fuzzer.NonNegative(report.TotalBytes, "total bytes");
            Fuzzer.NonNegative(report.TotalSeconds, "total seconds");
            foreach (var i in report.Intervals)
                CheckInterval(i);
        }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed");
    }

    [Fact]
    public void Sockperf_ping_pong_summary()
    {
        var (parsed, _) = Fuzzer.Run(Read("sockperf/pp-tcp-350B.stdout", "sockperf/pp-tcp-350B-2s.stdout"),
            stdout => SockperfPingPongParser.ParseSummary(stdout, "", Node), s =>
            {
                Fuzzer.NonNegative(s.Observations, "observations");
                Fuzzer.NonNegative(s.ValidSeconds, "valid seconds");
                Fuzzer.NonNegative(s.Average, "average");
                Fuzzer.NonNegative(s.StdDev, "std-dev");
                Fuzzer.NonNegative(s.Min, "min");
                Fuzzer.NonNegative(s.P50, "p50");
                Fuzzer.NonNegative(s.P90, "p90");
                Fuzzer.NonNegative(s.P99, "p99");
                Fuzzer.NonNegative(s.P999, "p99.9");
                Fuzzer.NonNegative(s.Max, "max");
            }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed");
    }

    [Fact]
    public void Sockperf_full_log()
    {
        var (parsed, _) = Fuzzer.Run(Read("sockperf/pp-tcp-350B-full-log.csv"), log => SockperfPingPongParser.ParseFullLog(log, Node), latencies =>
        {
            Fuzzer.That(latencies.Count > 0, "no latencies");
            foreach (var latency in latencies)
                Fuzzer.NonNegative(latency, "latency");
        }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed");
    }

    [Fact]
    public void Sockperf_throughput()
    {
        var (parsed, _) = Fuzzer.Run(Read("sockperf/tp-tcp-1400B.stdout"), stdout => SockperfThroughputParser.Parse(stdout, "", Node), r =>
        {
            Fuzzer.NonNegative(r.MessagesSent, "messages sent");
            Fuzzer.NonNegative(r.Seconds, "seconds");
            Fuzzer.NonNegative(r.MessagesPerSecond, "message rate");
        }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed");
    }

    [Fact]
    public void Wrk_report()
    {
        var originals = Read("wrk/bridge-1k.stdout", "wrk/bridge-64k.stdout", "wrk/bridge-404-not-found.stdout", "wrk/server-paused.stdout", "wrk/server-stopped-mid-run.stdout");

        var (parsed, _) = Fuzzer.Run(originals, stdout => WrkParser.Parse(stdout, "", Node), r =>
        {
            Fuzzer.That(r.Requests > 0, $"requests is {r.Requests}");
            foreach (var (value, what) in new[]
                     {
                         ((double)r.Threads, "threads"), (r.Connections, "connections"), (r.Seconds, "seconds"), (r.BytesRead, "bytes read"),
                         (r.RequestsPerSecond, "requests/s"), (r.TransferBytesPerSecond, "transfer/s"), (r.LatencyAverage, "latency average"),
                         (r.LatencyMax, "latency max"), (r.P50, "p50"), (r.P75, "p75"), (r.P90, "p90"), (r.P99, "p99"),
                         (r.SocketErrors.Total, "socket errors"), (r.Non2xxOr3xxResponses, "non-2xx responses"),
                     })
                Fuzzer.NonNegative(value, what);
        }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed");
    }

    [Fact]
    public void Netcat_receiver_report()
    {
        string[] originals =
        [
            $"{FlowCompletionParser.BytesMarker}1048576 {FlowCompletionParser.AtMarker}1795382782.575781\n",
            $"noise before\n{FlowCompletionParser.BytesMarker}0 {FlowCompletionParser.AtMarker}1795382799.000001\n",
        ];

        var (parsed, _) = Fuzzer.Run(originals, stdout => FlowCompletionParser.ParseReceiver(stdout, "", Node), r =>
        {
            Fuzzer.NonNegative(r.Bytes, "bytes");
            Fuzzer.NonNegative(r.ReceivedAtMicroseconds, "received at");
        }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed");
    }

    [Fact]
    public void Mesh_node_report()
    {
        var originals = Read("mesh/communicate-node-0.txt", "mesh/communicate-node-1.txt", "mesh/local-node-0.txt", "mesh/local-node-2.txt");

        var (parsed, _) = Fuzzer.Run(originals, stdout => MeshNodeParser.Parse(stdout, Node), r =>
        {
            Fuzzer.That(r.Index >= 0 && r.Nodes >= 1 && r.Index < r.Nodes, $"node {r.Index} of {r.Nodes}");
            foreach (var (value, what) in new[]
                     {
                         (r.RecordsPerNode, "records"), (r.RecordsPerMinute, "rate"), (r.BatchSize, "batch"), (r.RecordSizeBytes, "size"),
                         (r.StartMicroseconds, "start"), (r.LocalDoneMicroseconds, "local done"), (r.AllReceivedMicroseconds ?? 0, "all received"),
                         (r.Batches, "batches"), (r.Failures, "failures"), (r.StoreRecords, "store records"), (r.StoreBytes, "store bytes"),
                         (r.Duplicates, "duplicates"),
                     })
                Fuzzer.NonNegative(value, what);
        }, (WorkloadException e) => NamesNode(e));

        Assert.True(parsed > 0, "no mutant parsed");
    }

    private static void CheckInterval(FlowInterval i)
    {
        Fuzzer.NonNegative(i.Start, "interval start");
        Fuzzer.NonNegative(i.End, "interval end");
        Fuzzer.That(i.End >= i.Start, $"interval ends at {i.End} before it starts at {i.Start}");
        Fuzzer.NonNegative(i.Bytes, "interval bytes");
        Fuzzer.NonNegative(i.BitsPerSecond, "interval bit/s");
        Fuzzer.NonNegative(i.Retransmits, "interval retransmits");
        Fuzzer.NonNegative(i.SndCwndBytes, "interval cwnd");
        Fuzzer.NonNegative(i.RttMicroseconds, "interval RTT");
        Fuzzer.NonNegative(i.Packets, "interval packets");
        Fuzzer.NonNegative(i.LostPackets, "interval lost packets");
    }
}
