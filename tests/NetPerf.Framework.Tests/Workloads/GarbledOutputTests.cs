using NetPerf.Workloads.Flows;
using NetPerf.Workloads.Http;
using NetPerf.Workloads.Iperf2;
using NetPerf.Workloads.Iperf3;
using NetPerf.Workloads.Mesh;
using NetPerf.Workloads.Sockperf;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Workloads;

/// <summary>
/// Regression tests for what the parsers' mutation fuzzing (Fuzz/ParserFuzzTests) found: real outputs with one value
/// damaged. Each used to crash with a runtime exception or to parse into a negative, NaN or wrapped-around number; each
/// must now be a <see cref="WorkloadException"/> that names the container and says what is wrong.
/// </summary>
public sealed class GarbledOutputTests
{
    private const string Node = "client-3";

    public static TheoryData<string, string, string, string, string> Cases => new()
    {
        // Was FormatException (JsonElement.GetInt64 on -1e308).
        { "iperf3", "iperf3/tcp-1stream-omit1.json", "\"bytes\":\t3734241280,\n\t\t\t\t\"bits", "\"bytes\":\t-1e308,\n\t\t\t\t\"bits", "'bytes': -1e308; expected a finite number >= 0" },
        // Was KeyNotFoundException (JsonElement.GetProperty).
        { "iperf3", "iperf3/tcp-1stream-omit1.json", "\"sum\":\t{", "\"sun\":\t{", "printed JSON without 'sum'" },
        // Was InvalidOperationException (GetInt32 on a string).
        { "iperf3", "iperf3/tcp-1stream-omit1.json", "\"num_streams\":\t1", "\"num_streams\":\t\"1\"", "'num_streams': \"1\"; expected a finite number >= 0" },
        // Was parsed as a report with 0 streams.
        { "iperf3", "iperf3/tcp-1stream-omit1.json", "\"num_streams\":\t1", "\"num_streams\":\t0", "'num_streams': 0; expected a stream count of at least 1" },
        // Was parsed with -1 retransmits.
        { "iperf3", "iperf3/tcp-1stream-omit1.json", "\"retransmits\":\t3,\n\t\t\t\t\"omitted\"", "\"retransmits\":\t-1,\n\t\t\t\t\"omitted\"", "'retransmits': -1; expected a finite number >= 0" },
        // Was parsed as an interval that ends before it starts.
        { "iperf3", "iperf3/tcp-1stream-omit1.json", "\"start\":\t0,\n\t\t\t\t\"end\":\t1.000322", "\"start\":\t2,\n\t\t\t\t\"end\":\t1.000322", "'end': 1.000322; expected an interval end at or after its start (2)" },
        // Was InvalidOperationException (an error field that is not a string).
        { "iperf3", "iperf3/error-server-busy.json", "\"error\":\t\"the server is busy running a test. try again later\"", "\"error\":\t{}", "failed: '{}'" },
        // Was InvalidOperationException (TryGetProperty on a number where iperf3 prints an object).
        { "iperf3", "iperf3/tcp-1stream-omit1.json", "\"sum_sent\":\t{", "\"sum_sent\":\t5,\n\t\t\"x\":\t{", "'sum_sent': 5; expected an object" },
        // Were parsed into NaN or infinite times and rates.
        { "iperf2", "iperf2/tcp-2streams.csv", "5001,1,0.0-2.0", "5001,1,NaN-2.0", "is not iperf 2 CSV" },
        { "iperf2", "iperf2/tcp-2streams.csv", "4941938688,39535509504", "4941938688,1e400", "is not iperf 2 CSV" },
        { "iperf2", "iperf2/tcp-2streams.csv", "5001,2,1.0-2.0", "5001,2,Infinity-2.0", "is not iperf 2 CSV" },
        // Was a negative total (two whole-run byte counts wrapped around 64 bits).
        { "iperf2", "iperf2/tcp-2streams.csv", "0.0-2.0,9981788220", "0.0-2.0,9223372036854775807", "whose sum does not fit in 64 bits" },
        // Were FormatException (double.Parse of what [0-9.]+ matched).
        { "sockperf-pp", "sockperf/pp-tcp-350B.stdout", "std-dev=6.822", "std-dev=1.2.3", "printed '1.2.3' as its std-dev, which is not a number" },
        { "sockperf-pp", "sockperf/pp-tcp-350B.stdout", "RunTime=0.549 sec", "RunTime=. sec", "printed '.' as its [Valid Duration] RunTime" },
        // Was a wrong count (a double rounded to long) or an overflow.
        { "sockperf-pp", "sockperf/pp-tcp-350B.stdout", "Total 550 observations", "Total 99999999999999999999 observations", "more than fit in 64 bits" },
        // Were parsed into NaN, infinite and negative latencies.
        { "sockperf-log", "sockperf/pp-tcp-350B-full-log.csv", "2.401828944, 27.540", "2.401828944, -nan", "has a malformed row: '0, 2.401773864, 2.401828944, -nan'" },
        { "sockperf-log", "sockperf/pp-tcp-350B-full-log.csv", "2.401828944, 27.540", "2.401828944, -1e308", "has a malformed row" },
        { "sockperf-log", "sockperf/pp-tcp-350B-full-log.csv", "2.401828944, 27.540", "2.401828944, Infinity", "has a malformed row" },
        // Was OverflowException (long.Parse) and FormatException (double.Parse).
        { "sockperf-tp", "sockperf/tp-tcp-1400B.stdout", "Total of 2036947 messages", "Total of 99999999999999999999999999999999999999 messages", "do not parse (or do not fit in 64 bits)" },
        { "sockperf-tp", "sockperf/tp-tcp-1400B.stdout", "sent in 2.000 sec", "sent in 1.2.3 sec", "do not parse" },
        // Was OverflowException (decimal).
        { "wrk", "wrk/bridge-1k.stdout", "4.57ms", "99999999999999999999999999999999999999ms", "'99999999999999999999999999999999999999', which is out of range" },
        { "wrk", "wrk/bridge-1k.stdout", "Requests/sec:  48586.42", "Requests/sec:  99999999999999999999999999999999999999", "which is out of range" },
        // Were parsed as node -2147483648 (a long cast to int).
        { "mesh", "mesh/local-node-0.txt", "mesh-node=0 ", "mesh-node=2147483648 ", "the node index 2147483648 is out of range" },
        { "mesh", "mesh/local-node-0.txt", "nodes=3", "nodes=2147483648", "'nodes' 2147483648 is out of range" },
        // Was parsed as node 5 of 3.
        { "mesh", "mesh/local-node-0.txt", "mesh-node=0 ", "mesh-node=5 ", "node 5 cannot be one of 3 nodes" },
        // Was a start time that wrapped around 64 bits into a negative number.
        { "mesh", "mesh/local-node-0.txt", "mesh-start=1795383230.199862", "mesh-start=9300000000000.000000", "is not a time of the form SECONDS.MICROSECONDS" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public void A_damaged_value_is_a_workload_error_that_names_the_container(string parser, string file, string find, string replace, string expected)
    {
        var original = Canned.Read(file);
        var at = original.IndexOf(find, StringComparison.Ordinal);
        Assert.True(at >= 0, $"'{find}' is not in {file}; the case no longer damages anything");
        var damaged = original[..at] + replace + original[(at + find.Length)..];
        ReliabilityLedger.Inputs("4. Bad input", "damaged tool outputs", 1);

        var e = Assert.Throws<WorkloadException>(() => Parse(parser, damaged));

        Assert.Contains($"'{Node}'", e.Message, StringComparison.Ordinal);
        Assert.Contains(expected, e.Message, StringComparison.Ordinal);
        Assert.Equal(Node, e.NodeName);
    }

    [Fact]
    public void The_unchanged_outputs_of_these_cases_still_parse()
    {
        Assert.Equal(1, Iperf3Parser.Parse(Canned.Read("iperf3/tcp-1stream-omit1.json"), Node).Streams);
        Assert.Equal(2, Iperf2Parser.Parse(Canned.Read("iperf2/tcp-2streams.csv"), "", Node).Streams);
        Assert.Equal(550, SockperfPingPongParser.ParseFullLog(Canned.Read("sockperf/pp-tcp-350B-full-log.csv"), Node).Count);
        Assert.Equal(2036947, SockperfThroughputParser.Parse(Canned.Read("sockperf/tp-tcp-1400B.stdout"), "", Node).MessagesSent);
        Assert.Equal(3, MeshNodeParser.Parse(Canned.Read("mesh/local-node-0.txt"), Node).Nodes);
    }

    [Fact]
    public void A_receiver_time_beyond_64_bits_of_microseconds_is_rejected_not_wrapped()
    {
        // Was parsed: 9,300,000,000,000 s in microseconds wrapped around to a negative time.
        var e = Assert.Throws<WorkloadException>(() =>
            FlowCompletionParser.ParseReceiver($"{FlowCompletionParser.BytesMarker}10 {FlowCompletionParser.AtMarker}9300000000000.000000\n", "", Node));

        Assert.Contains($"'{Node}'", e.Message, StringComparison.Ordinal);
        Assert.Equal((10L, 9_200_000_000_000_000_001L),
            FlowCompletionParser.ParseReceiver($"{FlowCompletionParser.BytesMarker}10 {FlowCompletionParser.AtMarker}9200000000000.000001\n", "", Node));
    }

    private static object Parse(string parser, string text) => parser switch
    {
        "iperf3" => Iperf3Parser.Parse(text, Node),
        "iperf2" => Iperf2Parser.Parse(text, "", Node),
        "sockperf-pp" => SockperfPingPongParser.ParseSummary(text, "", Node),
        "sockperf-log" => SockperfPingPongParser.ParseFullLog(text, Node),
        "sockperf-tp" => SockperfThroughputParser.Parse(text, "", Node),
        "wrk" => WrkParser.Parse(text, "", Node),
        "mesh" => MeshNodeParser.Parse(text, Node),
        "netcat" => FlowCompletionParser.ParseReceiver(text, "", Node),
        _ => throw new ArgumentOutOfRangeException(nameof(parser), parser, "unknown parser"),
    };
}
