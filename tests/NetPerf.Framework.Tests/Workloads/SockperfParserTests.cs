using NetPerf.Workloads.Sockperf;

namespace NetPerf.Tests.Workloads;

public class SockperfParserTests
{
    [Fact]
    public void Ping_pong_summary_gives_every_percentile()
    {
        var s = SockperfPingPongParser.ParseSummary(Canned.Read("sockperf/pp-tcp-350B.stdout"), "", "client-0");

        Assert.Equal("3.7-no.git", s.Version);
        Assert.Equal(550, s.Observations);
        Assert.Equal(0.549, s.ValidSeconds);
        Assert.Equal(29.180, s.Average);
        Assert.Equal(6.822, s.StdDev);
        Assert.Equal(12.840, s.Min);
        Assert.Equal(27.679, s.P50);
        Assert.Equal(35.201, s.P90);
        Assert.Equal(57.088, s.P99);
        Assert.Equal(71.300, s.P999);
        Assert.Equal(89.144, s.Max);
    }

    [Fact]
    public void Full_log_has_one_latency_per_observation_and_agrees_with_the_summary()
    {
        var latencies = SockperfPingPongParser.ParseFullLog(Canned.Read("sockperf/pp-tcp-350B-full-log.csv"), "client-0");

        Assert.Equal(550, latencies.Count);
        Assert.Equal(27.540, latencies[0]);
        Assert.Equal(40.230, latencies[^1]);
        Assert.InRange(latencies.Max(), 89.14, 89.15);
        Assert.Equal(29.180, latencies.Average(), 2);
    }

    [Fact]
    public void Connection_refused_is_reported_although_sockperf_exits_0()
    {
        var e = Assert.Throws<WorkloadException>(() => SockperfPingPongParser.ParseSummary(Canned.Read("sockperf/error-connection-refused.stdout"), "", "client-2"));

        Assert.Contains("sockperf on 'client-2' failed: 'sockperf: ERROR: Can`t connect socket (errno=111 Connection refused)'", e.Message);
    }

    [Fact]
    public void Summary_without_percentiles_is_incomplete()
    {
        var cut = string.Join('\n', Canned.Read("sockperf/pp-tcp-350B.stdout").Split('\n').Take(24));
        var e = Assert.Throws<WorkloadException>(() => SockperfPingPongParser.ParseSummary(cut, "", "client-0"));
        Assert.Contains("no '<MIN> observation' line", e.Message);
    }

    [Fact]
    public void Full_log_without_header_is_rejected()
    {
        var e = Assert.Throws<WorkloadException>(() => SockperfPingPongParser.ParseFullLog("0, 1.0, 1.1, 12.0\n", "client-0"));
        Assert.Contains("'client-0' has no 'packet, txTime(sec), rxTime(sec), latency(usec)' header", e.Message);
    }

    [Fact]
    public void Throughput_summary_gives_message_rate()
    {
        var r = SockperfThroughputParser.Parse(Canned.Read("sockperf/tp-tcp-1400B.stdout"), "", "client-0");

        Assert.Equal(1018237, r.MessagesPerSecond);
        Assert.Equal(2036947, r.MessagesSent);
        Assert.Equal(2.000, r.Seconds);
        Assert.Equal("3.7-no.git", r.Version);
    }
}
