namespace NetPerf.Reports;

/// <summary>One chart of the HTML report, as data: the page's script draws it with the inlined chart library.</summary>
/// <remarks>Everything a chart shows is computed here (medians, CDF steps, bands), so the script only draws and the numbers are testable without a browser.</remarks>
/// <param name="Id">A unique id in the page, e.g. <c>chart-3</c>.</param>
/// <param name="Section">The section the chart belongs to (see <see cref="ChartSections"/>).</param>
/// <param name="Title">The chart's title (plain text; the page never parses it as HTML).</param>
/// <param name="XLabel">The x axis title with its unit.</param>
/// <param name="YLabel">The y axis title with its unit.</param>
/// <param name="XScale"><c>linear</c>, <c>logarithmic</c> or <c>category</c>.</param>
/// <param name="Categories">The x categories when <paramref name="XScale"/> is <c>category</c> (points then use the category's index as x); otherwise empty.</param>
/// <param name="Series">The series drawn, in order.</param>
/// <param name="YFromZero">Whether the y axis starts at 0 (true for levels such as throughput; false where the spread matters, as for trials against a baseline).</param>
/// <param name="Note">One line shown under the title (plain text), e.g. what a gate can detect; <see langword="null"/> for none.</param>
internal sealed record ChartSpec(
    string Id,
    string Section,
    string Title,
    string XLabel,
    string YLabel,
    string XScale,
    IReadOnlyList<string> Categories,
    IReadOnlyList<ChartSeries> Series,
    bool YFromZero = true,
    string? Note = null);

/// <summary>One series of a <see cref="ChartSpec"/>.</summary>
/// <param name="Name">The legend text.</param>
/// <param name="Style">
/// How it is drawn: <c>line</c> (points joined), <c>step</c> (a CDF), <c>points</c> (dots only), <c>hollow</c>
/// (open dots, e.g. baseline trials), <c>diamonds</c> (filled diamonds in a colour of their own, e.g. a confirmation run's trials), <c>dashed</c> (a reference line), <c>band-lower</c> and <c>band-upper</c>
/// (a shaded band between two consecutive series; the lower one comes first).
/// </param>
/// <param name="Points">The points as <c>[x, y]</c> pairs.</param>
internal sealed record ChartSeries(string Name, string Style, IReadOnlyList<double[]> Points);

/// <summary>The sections of the HTML report, in page order.</summary>
internal static class ChartSections
{
    /// <summary>Aggregate throughput against the number of pairs (or, when a scenario keeps pairs fixed, against the numeric axis it varies), one line per driver and other axes.</summary>
    public const string ThroughputVsPairs = "Throughput against pairs";

    /// <summary>Cumulative distribution of per-client (per-flow) throughput, one curve per cell.</summary>
    public const string FlowThroughputCdf = "Per-client throughput (CDF)";

    /// <summary>Cumulative distribution of flow completion times, one curve per cell.</summary>
    public const string FctCdf = "Flow completion time (CDF)";

    /// <summary>Latency percentiles (median over trials), one line per cell.</summary>
    public const string LatencyPercentiles = "Latency percentiles";

    /// <summary>Retransmissions against aggregate throughput, one dot per trial.</summary>
    public const string RetransmitsVsThroughput = "Retransmissions against throughput";

    /// <summary>This run's trials against the baseline of each cell: dots for trials (diamonds beside them for a confirmation run), the baseline median and its interval as a band.</summary>
    public const string TrialsVsBaseline = "Trials against the baseline";

    /// <summary>All sections in page order.</summary>
    public static readonly IReadOnlyList<string> All =
        [ThroughputVsPairs, FlowThroughputCdf, FctCdf, LatencyPercentiles, RetransmitsVsThroughput, TrialsVsBaseline];
}
