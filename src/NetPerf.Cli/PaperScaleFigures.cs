using System.Globalization;
using ScottPlot;

namespace NetPerf.Cli;

/// <summary>
/// The figures of the papers'-scale findings, drawn with ScottPlot into SVG files beside the data: the aggregate
/// throughput against the pair count per driver, with the CPU model's predicted saturation as a dashed line.
/// </summary>
internal static class PaperScaleFigures
{
    /// <summary>The saturation figure's file name.</summary>
    public const string SaturationFile = "saturation.svg";

    private static readonly int[] PairCounts = [1, 2, 5, 10, 20, 50];

    /// <summary>Draws the saturation figure; false (and no file) when no driver has at least two points.</summary>
    /// <param name="path">The SVG file to write.</param>
    /// <param name="lookup">The paper-scale data.</param>
    public static bool WriteSaturation(string path, PaperScaleFindings.Lookup lookup)
    {
        var predictions = PaperScaleFindings.Predictions(lookup).ToDictionary(p => p.Driver);
        var plot = new Plot();
        var drawn = 0;
        foreach (var driver in new[] { "Host", "Bridge", "Macvlan", "Ovs" })
        {
            var points = PairCounts
                .Select(p => (p, v: lookup.Median("LargeScale.Aggregate_throughput_full", $"driver={driver}/pairs={p}", "aggregate_throughput")))
                .Where(x => x.v is not null).ToList();
            if (points.Count < 2)
                continue;
            // Pair counts on a log scale: ScottPlot draws linear axes, so the positions are log10 and the ticks say the counts.
            var line = plot.Add.Scatter(points.Select(x => Math.Log10(x.p)).ToArray(), points.Select(x => x.v!.Value).ToArray());
            line.LegendText = driver;
            line.MarkerSize = 7;
            line.LineWidth = 2;
            if (predictions.TryGetValue(driver, out var prediction))
            {
                var predicted = plot.Add.HorizontalLine(prediction.PredictedGbps);
                predicted.Color = line.Color;
                predicted.LinePattern = LinePattern.Dashed;
                predicted.LineWidth = 1;
                predicted.LegendText = $"{driver}: CPU model";
            }
            drawn++;
        }
        if (drawn == 0)
            return false;
        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. PairCounts.Select(p => Math.Log10(p))], [.. PairCounts.Select(p => p.ToString(CultureInfo.InvariantCulture))]);
        plot.Axes.Bottom.Label.Text = "concurrent client/server pairs (log scale)";
        plot.Axes.Left.Label.Text = "aggregate throughput (Gbit/s)";
        plot.Axes.Title.Label.Text = "Aggregate throughput against pairs (LargeScale.Aggregate_throughput_full)";
        // Outside the data area, so it hides no point whatever the numbers.
        plot.ShowLegend(Edge.Right);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        plot.SaveSvg(path, 1000, 540);
        return true;
    }
}
