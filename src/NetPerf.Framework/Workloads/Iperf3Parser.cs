using System.Globalization;
using System.Text.Json;

namespace NetPerf.Workloads;

/// <summary>Parses the JSON an iperf3 3.x client prints with <c>-J</c> (and <c>--get-server-output</c> against a <c>-J</c> server).</summary>
/// <remarks>
/// iperf3 3.12 exits 0 even when it reports an error in JSON mode, so the <c>error</c> field is
/// checked whatever the exit code. With <c>-O</c>, intervals after warm-up restart at 0; they are
/// moved to follow the warm-up so one axis covers the whole run.
/// </remarks>
public static class Iperf3Parser
{
    /// <summary>Parses one client's output.</summary>
    /// <param name="json">The client's stdout.</param>
    /// <param name="nodeName">The client container, for messages.</param>
    /// <exception cref="WorkloadException">Empty, truncated or garbled JSON; an <c>error</c> field; no intervals after warm-up.</exception>
    public static Iperf3Report Parse(string json, string nodeName)
    {
        if (string.IsNullOrWhiteSpace(json))
            throw new WorkloadException($"iperf3 on '{nodeName}' printed nothing on stdout; expected its -J report.", nodeName);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException e)
        {
            throw new WorkloadException(
                $"iperf3 on '{nodeName}' printed output that is not complete JSON (truncated or garbled): {e.Message} Output ends with: '{Tail(json)}'",
                nodeName, e);
        }
        using (document)
        {
            var root = document.RootElement;
            if (root.ValueKind != JsonValueKind.Object)
                throw new WorkloadException($"iperf3 on '{nodeName}' printed JSON that is not an object: '{Tail(json)}'", nodeName);
            if (root.TryGetProperty("error", out var error))
                throw new WorkloadException($"iperf3 on '{nodeName}' failed: '{error.GetString()}'", nodeName);

            var start = Required(root, "start", nodeName);
            var version = start.TryGetProperty("version", out var v) ? v.GetString() ?? "iperf3" : "iperf3";
            var testStart = Required(start, "test_start", nodeName);
            var protocol = testStart.TryGetProperty("protocol", out var p) ? p.GetString() ?? "TCP" : "TCP";
            var streams = testStart.TryGetProperty("num_streams", out var n) ? n.GetInt32() : 1;

            var sender = Intervals(Required(root, "intervals", nodeName));
            if (!sender.Any(i => !i.Omitted))
                throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                    $"iperf3 on '{nodeName}' reported no intervals after warm-up ({sender.Count} in all); the test stopped early or the JSON is incomplete."), nodeName);

            IReadOnlyList<FlowInterval> receiver = [];
            JsonElement? serverEnd = null;
            if (root.TryGetProperty("server_output_json", out var server))
            {
                if (server.TryGetProperty("error", out var serverError))
                    throw new WorkloadException($"iperf3 server for the client on '{nodeName}' failed: '{serverError.GetString()}'", nodeName);
                receiver = server.TryGetProperty("intervals", out var si) ? Intervals(si) : [];
                serverEnd = server.TryGetProperty("end", out var se) ? se : null;
            }

            var totals = Totals(Required(root, "end", nodeName), serverEnd, protocol, nodeName);
            return new Iperf3Report(version, protocol, streams, sender, receiver, totals);
        }
    }

    private static List<FlowInterval> Intervals(JsonElement intervals)
    {
        var parsed = new List<FlowInterval>();
        foreach (var interval in intervals.EnumerateArray())
        {
            var sum = interval.GetProperty("sum");
            var streams = interval.TryGetProperty("streams", out var s) ? s.EnumerateArray().ToList() : [];
            var rtts = streams.Select(x => Double(x, "rtt")).OfType<double>().ToList();
            var cwnds = streams.Select(x => Long(x, "snd_cwnd")).OfType<long>().ToList();
            parsed.Add(new FlowInterval(sum.GetProperty("start").GetDouble(), sum.GetProperty("end").GetDouble(), sum.GetProperty("bytes").GetInt64(), sum.GetProperty("bits_per_second").GetDouble())
            {
                Retransmits = Long(sum, "retransmits"),
                SndCwndBytes = cwnds.Count > 0 ? cwnds.Sum() : null,
                RttMicroseconds = rtts.Count > 0 ? rtts.Average() : null,
                Packets = Long(sum, "packets"),
                LostPackets = Long(sum, "lost_packets"),
                Omitted = sum.TryGetProperty("omitted", out var o) && o.GetBoolean(),
            });
        }
        // After the warm-up iperf3 restarts its clock at 0; put measured intervals after the warm-up.
        var offset = parsed.Where(i => i.Omitted).Select(i => i.End).DefaultIfEmpty(0).Max();
        return parsed.Select(i => i.Omitted ? i : i.Shift(offset)).ToList();
    }

    private static FlowTotals Totals(JsonElement end, JsonElement? serverEnd, string protocol, string nodeName)
    {
        var sent = Required(end, "sum_sent", nodeName);
        var received = Required(end, "sum_received", nodeName);
        var rtts = end.TryGetProperty("streams", out var streams)
            ? streams.EnumerateArray().Select(s => s.TryGetProperty("sender", out var x) ? Double(x, "mean_rtt") : null).OfType<double>().ToList()
            : [];
        var cpu = end.TryGetProperty("cpu_utilization_percent", out var c) ? c : (JsonElement?)null;
        var totals = new FlowTotals
        {
            SentBytes = Long(sent, "bytes"),
            ReceivedBytes = Long(received, "bytes"),
            Seconds = Double(sent, "seconds"),
            SenderBitsPerSecond = Double(sent, "bits_per_second"),
            ReceiverBitsPerSecond = Double(received, "bits_per_second"),
            Retransmits = Long(sent, "retransmits"),
            MeanRttMicroseconds = rtts.Count > 0 ? rtts.Average() : null,
            SenderCpuPercent = cpu is { } s ? Double(s, "host_total") : null,
            ReceiverCpuPercent = cpu is { } r ? Double(r, "remote_total") : null,
        };
        if (protocol != "UDP")
            return totals;
        // The server's own summary counts loss after warm-up only; the client's copy mixes in warm-up loss.
        // The server's sum_received has bytes and loss; its plain sum has the loss with bytes 0.
        var udp = serverEnd is { } se && (se.TryGetProperty("sum_received", out var serverSum) || se.TryGetProperty("sum", out serverSum))
            ? serverSum
            : Required(end, "sum", nodeName);
        return totals with
        {
            ReceivedBytes = Long(udp, "bytes"),
            ReceiverBitsPerSecond = Double(udp, "bits_per_second"),
            UdpPackets = Long(sent, "packets"),
            UdpLostPackets = Long(udp, "lost_packets"),
            UdpLostPercent = Double(udp, "lost_percent"),
            UdpJitterMilliseconds = Double(udp, "jitter_ms"),
        };
    }

    private static JsonElement Required(JsonElement parent, string name, string nodeName) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value
            : throw new WorkloadException($"iperf3 on '{nodeName}' printed JSON without '{name}'; the report is incomplete.", nodeName);

    private static double? Double(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? v.GetDouble() : null;

    private static long? Long(JsonElement e, string name) => e.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.Number ? (long)v.GetDouble() : null;

    private static string Tail(string text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.Length <= 200 ? trimmed : "..." + trimmed[^200..];
    }
}
