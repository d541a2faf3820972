using System.Text.RegularExpressions;
using NetPerf.Workloads.Http;

namespace NetPerf.Tests.Workloads;

public class WrkParserTests
{
    private const double KiB = 1024;
    private const double MiB = 1024 * 1024;
    private const double GiB = 1024 * 1024 * 1024;

    [Fact]
    public void Real_1k_run_gives_every_number_with_times_in_microseconds()
    {
        var r = WrkParser.Parse(Canned.Read("wrk/bridge-1k.stdout"), "", "client-0");

        Assert.Equal("http://172.19.0.2/1k.bin", r.Url);
        Assert.Equal(1, r.Threads);
        Assert.Equal(10, r.Connections);
        Assert.Equal(145842, r.Requests);
        Assert.Equal(3.0, r.Seconds);
        Assert.Equal(177.75 * MiB, r.BytesRead, 0);
        Assert.Equal(48586.42, r.RequestsPerSecond);
        Assert.Equal(59.22 * MiB, r.TransferBytesPerSecond, 0);
        Assert.Equal(217.16, r.LatencyAverage);
        Assert.Equal(4570, r.LatencyMax);
        Assert.Equal([170.0, 213.0, 425.0], [r.P50, r.P75, r.P90]);
        // wrk printed '0.96ms': the unit changes between percentiles of one run.
        Assert.Equal(960, r.P99);
        Assert.Equal(WrkSocketErrors.None, r.SocketErrors);
        Assert.Equal(0, r.Non2xxOr3xxResponses);
    }

    [Fact]
    public void Real_64k_run_converts_milliseconds_and_gigabytes()
    {
        var r = WrkParser.Parse(Canned.Read("wrk/bridge-64k.stdout"), "", "client-0");

        Assert.Equal("http://172.19.0.2/64k.bin", r.Url);
        Assert.Equal(54602, r.Requests);
        Assert.Equal(18188.03, r.RequestsPerSecond);
        Assert.Equal(3.35 * GiB, r.BytesRead, 0);
        Assert.Equal(1.11 * GiB, r.TransferBytesPerSecond, 0);
        Assert.Equal(1000, r.LatencyAverage);
        Assert.Equal(28680, r.LatencyMax);
        Assert.Equal([337.0, 599.0, 2840.0, 8990.0], [r.P50, r.P75, r.P90, r.P99]);
        // 64 KiB bodies: bytes per request is the body plus a few hundred bytes of headers.
        Assert.InRange(r.BytesRead / r.Requests, 64 * KiB, 65 * KiB);
    }

    [Fact]
    public void Error_responses_are_counted_and_still_are_requests()
    {
        var r = WrkParser.Parse(Canned.Read("wrk/bridge-404-not-found.stdout"), "", "client-0");

        Assert.Equal(69621, r.Non2xxOr3xxResponses);
        Assert.Equal(r.Requests, r.Non2xxOr3xxResponses);
        Assert.Equal(34723.90, r.RequestsPerSecond);
        Assert.Equal(3610, r.P99);
    }

    [Fact]
    public void Socket_errors_line_is_read_field_by_field()
    {
        var r = WrkParser.Parse(Canned.Read("wrk/server-stopped-mid-run.stdout"), "", "client-0");

        Assert.Equal(new WrkSocketErrors(Connect: 0, Read: 17, Write: 961, Timeout: 0), r.SocketErrors);
        Assert.Equal(978, r.SocketErrors.Total);
        Assert.Equal(58151, r.Requests);
        Assert.Equal(4.0, r.Seconds);
        Assert.Equal(3000, r.P99);
    }

    [Fact]
    public void Socket_errors_and_error_responses_together()
    {
        var text = Canned.Read("wrk/bridge-1k.stdout").Replace(
            "  145842 requests in 3.00s, 177.75MB read\n",
            "  145842 requests in 3.00s, 177.75MB read\n  Socket errors: connect 3, read 0, write 0, timeout 12\n  Non-2xx or 3xx responses: 250\n");

        var r = WrkParser.Parse(text, "", "client-0");

        Assert.Equal(new WrkSocketErrors(3, 0, 0, 12), r.SocketErrors);
        Assert.Equal(250, r.Non2xxOr3xxResponses);
    }

    [Fact]
    public void Seconds_and_minutes_are_converted_to_microseconds()
    {
        const string Output = """
            Running 1m test @ http://10.0.0.2/64k.bin
              4 threads and 400 connections
              Thread Stats   Avg      Stdev     Max   +/- Stdev
                Latency     1.20s   350.00ms   1.05m    71.02%
                Req/Sec    12.00     8.51    40.00     60.00%
              Latency Distribution
                 50%    1.10s
                 75%    1.45s
                 90%    1.89s
                 99%    2.50s
              3021 requests in 1.00m, 189.11MB read
              Socket errors: connect 0, read 0, write 0, timeout 412
            Requests/sec:     50.35
            Transfer/sec:      3.15MB
            """;

        var r = WrkParser.Parse(Output, "", "client-0");

        Assert.Equal(1_200_000, r.LatencyAverage);
        Assert.Equal(63_000_000, r.LatencyMax);
        Assert.Equal([1_100_000.0, 1_450_000.0, 1_890_000.0, 2_500_000.0], [r.P50, r.P75, r.P90, r.P99]);
        Assert.Equal(60, r.Seconds);
        Assert.Equal(4, r.Threads);
        Assert.Equal(400, r.Connections);
        Assert.Equal(412, r.SocketErrors.Timeout);
    }

    [Fact]
    public void Run_without_a_single_response_is_an_error_although_wrk_exits_0()
    {
        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(Canned.Read("wrk/server-paused.stdout"), "", "client-2"));

        Assert.Contains("wrk on 'client-2' completed no request to 'http://172.19.0.2/1k.bin' in 3.01 s", e.Message);
        Assert.Contains("'0 requests in 3.01s, 0.00B read'", e.Message);
        Assert.Equal("client-2", e.NodeName);
    }

    [Theory]
    [InlineData("wrk/error-connection-refused.stderr", "unable to connect to 172.19.0.2:81 Connection refused")]
    [InlineData("wrk/error-unable-to-resolve.stderr", "unable to resolve 172.19.0.2:http Servname not supported for ai_socktype")]
    public void No_report_quotes_what_wrk_said_on_stderr(string stderrFile, string said)
    {
        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse("", Canned.Read(stderrFile), "client-1"));

        Assert.Equal($"wrk on 'client-1' reported nothing; it said: '{said}'", e.Message);
    }

    [Fact]
    public void Usage_text_means_the_command_line_was_rejected()
    {
        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(Canned.Read("wrk/usage-rejected-argument.stdout"), "", "client-0"));

        Assert.Equal("wrk on 'client-0' rejected its command line and printed its usage", e.Message);
    }

    [Fact]
    public void Garbage_is_rejected_with_the_line_quoted()
    {
        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse("<html><body>502 Bad Gateway</body></html>\n", "oops", "client-0"));

        Assert.Equal("wrk on 'client-0' printed a line that is not part of wrk's report: '<html><body>502 Bad Gateway</body></html>'; stderr: 'oops'", e.Message);
    }

    [Fact]
    public void A_line_wrk_does_not_print_is_quoted_even_inside_a_report()
    {
        var text = Canned.Read("wrk/bridge-1k.stdout") + "custom summary from done(): 42\n";

        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(text, "", "client-0"));

        Assert.Contains("not part of wrk's report: 'custom summary from done(): 42'", e.Message);
    }

    [Fact]
    public void Latency_with_an_unknown_unit_is_not_wrk_output()
    {
        var text = Canned.Read("wrk/bridge-1k.stdout").Replace("50%  170.00us", "50%  170.00ns");

        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(text, "", "client-0"));

        Assert.Contains("'50%  170.00ns'", e.Message);
    }

    [Fact]
    public void Without_latency_option_the_distribution_is_missing()
    {
        // What wrk prints without --latency: the same report without the distribution.
        var text = string.Join('\n', Canned.Read("wrk/bridge-1k.stdout").Split('\n')
            .Where(l => l.Trim() != "Latency Distribution" && !Regex.IsMatch(l, @"^\s+\d+%")));

        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(text, "", "client-0"));

        Assert.Contains("wrk on 'client-0' printed no 'Latency Distribution'; was --latency given?", e.Message);
    }

    [Fact]
    public void Missing_percentile_is_named()
    {
        var text = Canned.Read("wrk/bridge-1k.stdout").Replace("     90%  425.00us\n", "");

        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(text, "", "client-0"));

        Assert.Contains("printed no 90% line under 'Latency Distribution'", e.Message);
    }

    [Fact]
    public void Truncated_output_names_the_first_missing_line()
    {
        var text = string.Join('\n', Canned.Read("wrk/bridge-1k.stdout").Split('\n').Take(10));

        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(text, "", "client-0"));

        Assert.Contains("wrk on 'client-0' printed no 'N requests in' line; the output is incomplete", e.Message);
    }

    [Fact]
    public void Two_reports_in_one_output_are_rejected()
    {
        var once = Canned.Read("wrk/bridge-1k.stdout");

        var e = Assert.Throws<WorkloadException>(() => WrkParser.Parse(once + once, "", "client-0"));

        Assert.Contains("printed a second 'Running Ns test @ URL' line", e.Message);
    }
}
