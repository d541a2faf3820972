using System.Globalization;
using System.Text.Json;

namespace NetPerf.Workloads.Iperf3;

/// <summary>Parses the JSON an iperf3 3.x client prints with <c>-J</c> (and <c>--get-server-output</c> against a <c>-J</c> server).</summary>
/// <remarks>
/// iperf3 3.12 exits 0 even when it reports an error in JSON mode, so the <c>error</c> field is
/// checked whatever the exit code. With <c>-O</c>, intervals after warm-up restart at 0; they are
/// moved to follow the warm-up so one axis covers the whole run.
/// </remarks>
internal static class Iperf3Parser
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
                throw new WorkloadException($"iperf3 on '{nodeName}' failed: '{Message(error)}'", nodeName);

            var start = Section(root, "start", nodeName);
            var version = Text(start, "version", nodeName) ?? "iperf3";
            var testStart = Section(start, "test_start", nodeName);
            var protocol = Text(testStart, "protocol", nodeName) ?? "TCP";
            var streams = Long(testStart, "num_streams", nodeName) ?? 1;
            if (streams is < 1 or > int.MaxValue)
                throw OutOfRange(nodeName, "num_streams", streams.ToString(CultureInfo.InvariantCulture), "a stream count of at least 1");

            var sender = Intervals(Required(root, "intervals", nodeName), nodeName);
            if (!sender.Any(i => !i.Omitted))
                throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                    $"iperf3 on '{nodeName}' reported no intervals after warm-up ({sender.Count} in all); the test stopped early or the JSON is incomplete."), nodeName);

            IReadOnlyList<FlowInterval> receiver = [];
            JsonElement? serverEnd = null;
            if (root.TryGetProperty("server_output_json", out var server))
            {
                if (server.ValueKind != JsonValueKind.Object)
                    throw new WorkloadException($"iperf3 on '{nodeName}' printed a 'server_output_json' that is not an object: {Raw(server)}", nodeName);
                if (server.TryGetProperty("error", out var serverError))
                    throw new WorkloadException($"iperf3 server for the client on '{nodeName}' failed: '{Message(serverError)}'", nodeName);
                receiver = server.TryGetProperty("intervals", out var si) ? Intervals(si, nodeName) : [];
                serverEnd = server.TryGetProperty("end", out var se) ? Object(se, "end", nodeName) : null;
            }

            var totals = Totals(Section(root, "end", nodeName), serverEnd, protocol, nodeName);
            return new Iperf3Report(version, protocol, (int)streams, sender, receiver, totals);
        }
    }

    private static List<FlowInterval> Intervals(JsonElement intervals, string nodeName)
    {
        var parsed = new List<FlowInterval>();
        foreach (var interval in Items(intervals, "intervals", nodeName))
        {
            var sum = Section(interval, "sum", nodeName);
            var streams = interval.TryGetProperty("streams", out var s) ? Items(s, "streams", nodeName) : [];
            var rtts = streams.Select(x => Double(x, "rtt", nodeName)).OfType<double>().ToList();
            var cwnds = streams.Select(x => Long(x, "snd_cwnd", nodeName)).OfType<long>().ToList();
            double from = RequiredDouble(sum, "start", nodeName), to = RequiredDouble(sum, "end", nodeName);
            if (to < from)
                throw OutOfRange(nodeName, "end", to.ToString(CultureInfo.InvariantCulture), $"an interval end at or after its start ({from.ToString(CultureInfo.InvariantCulture)})");
            parsed.Add(new FlowInterval(from, to, Long(sum, "bytes", nodeName) ?? throw Missing(nodeName, "bytes"), RequiredDouble(sum, "bits_per_second", nodeName))
            {
                Retransmits = Long(sum, "retransmits", nodeName),
                SndCwndBytes = cwnds.Count > 0 ? Checked(() => cwnds.Sum(), nodeName, "snd_cwnd") : null,
                RttMicroseconds = rtts.Count > 0 ? rtts.Average() : null,
                Packets = Long(sum, "packets", nodeName),
                LostPackets = Long(sum, "lost_packets", nodeName),
                Omitted = sum.TryGetProperty("omitted", out var o) && o.ValueKind switch
                {
                    JsonValueKind.True => true,
                    JsonValueKind.False => false,
                    _ => throw OutOfRange(nodeName, "omitted", Raw(o), "true or false"),
                },
            });
        }
        // After the warm-up iperf3 restarts its clock at 0; put measured intervals after the warm-up.
        var offset = parsed.Where(i => i.Omitted).Select(i => i.End).DefaultIfEmpty(0).Max();
        return parsed.Select(i => i.Omitted ? i : i.Shift(offset)).ToList();
    }

    private static FlowTotals Totals(JsonElement end, JsonElement? serverEnd, string protocol, string nodeName)
    {
        var sent = Section(end, "sum_sent", nodeName);
        var received = Section(end, "sum_received", nodeName);
        var rtts = end.TryGetProperty("streams", out var streams)
            ? Items(streams, "streams", nodeName).Select(s => s.TryGetProperty("sender", out var x) ? Double(Object(x, "sender", nodeName), "mean_rtt", nodeName) : null).OfType<double>().ToList()
            : [];
        var cpu = end.TryGetProperty("cpu_utilization_percent", out var c) ? Object(c, "cpu_utilization_percent", nodeName) : (JsonElement?)null;
        var totals = new FlowTotals
        {
            SentBytes = Long(sent, "bytes", nodeName),
            ReceivedBytes = Long(received, "bytes", nodeName),
            Seconds = Double(sent, "seconds", nodeName),
            SenderBitsPerSecond = Double(sent, "bits_per_second", nodeName),
            ReceiverBitsPerSecond = Double(received, "bits_per_second", nodeName),
            Retransmits = Long(sent, "retransmits", nodeName),
            MeanRttMicroseconds = rtts.Count > 0 ? rtts.Average() : null,
            SenderCpuPercent = cpu is { } s ? Double(s, "host_total", nodeName) : null,
            ReceiverCpuPercent = cpu is { } r ? Double(r, "remote_total", nodeName) : null,
        };
        if (protocol != "UDP")
            return totals;
        // The server's own summary counts loss after warm-up only; the client's copy mixes in warm-up loss.
        // The server's sum_received has bytes and loss; its plain sum has the loss with bytes 0.
        var udp = serverEnd is { } se && (se.TryGetProperty("sum_received", out var serverSum) || se.TryGetProperty("sum", out serverSum))
            ? Object(serverSum, "sum_received", nodeName)
            : Section(end, "sum", nodeName);
        return totals with
        {
            ReceivedBytes = Long(udp, "bytes", nodeName),
            ReceiverBitsPerSecond = Double(udp, "bits_per_second", nodeName),
            UdpPackets = Long(sent, "packets", nodeName),
            UdpLostPackets = Long(udp, "lost_packets", nodeName),
            UdpLostPercent = Double(udp, "lost_percent", nodeName),
            UdpJitterMilliseconds = Double(udp, "jitter_ms", nodeName),
        };
    }

    /// <summary>The value <paramref name="name"/> of <paramref name="parent"/>; a missing one is an incomplete report.</summary>
    private static JsonElement Required(JsonElement parent, string name, string nodeName) =>
        parent.ValueKind == JsonValueKind.Object && parent.TryGetProperty(name, out var value)
            ? value
            : throw Missing(nodeName, name);

    /// <summary>The object <paramref name="name"/> of <paramref name="parent"/> (a section such as <c>end</c> or <c>sum_sent</c>).</summary>
    private static JsonElement Section(JsonElement parent, string name, string nodeName) => Object(Required(parent, name, nodeName), name, nodeName);

    private static JsonElement Object(JsonElement element, string name, string nodeName) =>
        element.ValueKind == JsonValueKind.Object ? element : throw OutOfRange(nodeName, name, Raw(element), "an object");

    /// <summary>The items of an array of objects (iperf3's intervals and streams).</summary>
    private static List<JsonElement> Items(JsonElement array, string name, string nodeName)
    {
        if (array.ValueKind != JsonValueKind.Array)
            throw OutOfRange(nodeName, name, Raw(array), "an array");
        return array.EnumerateArray().Select(item => Object(item, name, nodeName)).ToList();
    }

    /// <summary>An optional number; present, it must be finite and not negative (every number iperf3 reports is a count, a size, a rate or a time).</summary>
    private static double? Double(JsonElement e, string name, string nodeName)
    {
        if (!e.TryGetProperty(name, out var v))
            return null;
        return v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var d) && double.IsFinite(d) && d >= 0
            ? d
            : throw OutOfRange(nodeName, name, Raw(v), "a finite number >= 0");
    }

    private static double RequiredDouble(JsonElement e, string name, string nodeName) => Double(e, name, nodeName) ?? throw Missing(nodeName, name);

    /// <summary>An optional whole count (iperf3 prints them as integers; a fraction is truncated as iperf3 itself would).</summary>
    private static long? Long(JsonElement e, string name, string nodeName) =>
        Double(e, name, nodeName) is { } d
            ? d < 9.2e18 ? (long)d : throw OutOfRange(nodeName, name, d.ToString(CultureInfo.InvariantCulture), "a count that fits in 64 bits")
            : null;

    private static string? Text(JsonElement e, string name, string nodeName) =>
        !e.TryGetProperty(name, out var v) ? null
        : v.ValueKind == JsonValueKind.String ? v.GetString()
        : throw OutOfRange(nodeName, name, Raw(v), "a string");

    private static long Checked(Func<long> sum, string nodeName, string name)
    {
        try
        {
            return sum();
        }
        catch (OverflowException)
        {
            throw OutOfRange(nodeName, name, "a sum beyond 64 bits", "counts that add up to a 64-bit number");
        }
    }

    /// <summary>iperf3's error text (a string; anything else is quoted as JSON).</summary>
    private static string Message(JsonElement error) => error.ValueKind == JsonValueKind.String ? error.GetString()! : Raw(error);

    private static string Raw(JsonElement element)
    {
        var raw = element.GetRawText();
        return raw.Length <= 80 ? raw : raw[..80] + "...";
    }

    private static WorkloadException Missing(string nodeName, string name) =>
        new($"iperf3 on '{nodeName}' printed JSON without '{name}'; the report is incomplete.", nodeName);

    private static WorkloadException OutOfRange(string nodeName, string name, string found, string expected) =>
        new($"iperf3 on '{nodeName}' printed '{name}': {found}; expected {expected}. The report is garbled.", nodeName);

    private static string Tail(string text)
    {
        var trimmed = text.TrimEnd();
        return trimmed.Length <= 200 ? trimmed : "..." + trimmed[^200..];
    }
}
