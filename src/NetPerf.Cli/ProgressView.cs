using System.Globalization;
using System.Text.RegularExpressions;
using Spectre.Console;
using Spectre.Console.Rendering;

namespace NetPerf.Cli;

/// <summary>
/// What a run's progress.log says so far, as a live view: cells done by verdict, the cell running now and its step
/// (provisioning, trial i of n, confirmation), and the last cells' verdicts as they land.
/// </summary>
/// <remarks>
/// Fed the lines <c>ProgressLog</c> writes (<c>HH:mm:ss Cell(args): text</c>; a cell's last line is
/// <c>Outcome in N s ...</c>). Lines it cannot read are counted and otherwise ignored: the view is a courtesy, the log
/// is the record.
/// </remarks>
internal sealed partial class ProgressView
{
    private readonly List<CellState> _cells = [];
    private readonly Dictionary<string, CellState> _byName = new(StringComparer.Ordinal);
    private TimeSpan? _first;
    private TimeSpan? _last;

    /// <summary>How many lines could not be read as progress lines.</summary>
    public int Unreadable { get; private set; }

    /// <summary>Cells that have a verdict, by outcome (e.g. Passed, Regressed, Recorded).</summary>
    public IReadOnlyDictionary<string, int> Outcomes =>
        _cells.Where(c => c.Outcome is not null).GroupBy(c => c.Outcome!).ToDictionary(g => g.Key, g => g.Count(), StringComparer.Ordinal);

    /// <summary>The cells without a verdict yet, oldest first, with their latest step.</summary>
    public IReadOnlyList<(string Cell, string Step)> Running => [.. _cells.Where(c => c.Outcome is null).Select(c => (c.Name, c.Step))];

    /// <summary>Every cell seen.</summary>
    public int Seen => _cells.Count;

    /// <summary>Reads one line of progress.log.</summary>
    public void Add(string line)
    {
        var m = Line().Match(line);
        if (!m.Success || !TimeSpan.TryParseExact(m.Groups["time"].Value, "hh\\:mm\\:ss", CultureInfo.InvariantCulture, out var time))
        {
            if (!string.IsNullOrWhiteSpace(line)) Unreadable++;
            return;
        }
        _first ??= time;
        // Past midnight (UTC) the clock starts again.
        while (_last is { } last && time < last - TimeSpan.FromHours(1))
            time += TimeSpan.FromDays(1);
        _last = time;
        var rest = m.Groups["rest"].Value;
        // A display name ends with its arguments in brackets, which hold ": " themselves (driver: Bridge).
        var split = rest.IndexOf("): ", StringComparison.Ordinal);
        var (name, text) = split >= 0 ? (rest[..(split + 1)], rest[(split + 3)..]) : rest.IndexOf(": ", StringComparison.Ordinal) is var i and >= 0 ? (rest[..i], rest[(i + 2)..]) : (rest, "");
        if (!_byName.TryGetValue(name, out var cell))
        {
            cell = new CellState(name);
            _byName[name] = cell;
            _cells.Add(cell);
        }
        var verdict = Verdict().Match(text);
        if (verdict.Success)
        {
            cell.Outcome = verdict.Groups["outcome"].Value;
            cell.Step = text;
        }
        else
        {
            // A step after a verdict (a cell run again) makes it a running cell again; a failed attempt ends it.
            cell.Step = text.StartsWith("run: ", StringComparison.Ordinal) ? text[5..] : text;
            cell.Outcome = AttemptFailed().IsMatch(text) ? "Failed" : null;
        }
    }

    /// <summary>The view: a title with the counts and the elapsed time, then the last <paramref name="rows"/> cells, newest first.</summary>
    public IRenderable Render(int rows = 12)
    {
        var done = _cells.Count(c => c.Outcome is not null);
        var counts = string.Join(", ", Outcomes.OrderByDescending(o => o.Value).Select(o => $"{o.Value} {Color(o.Key, o.Key.ToLowerInvariant())}"));
        var elapsed = _first is { } f && _last is { } l ? l - f : TimeSpan.Zero;
        var table = new Table().Border(TableBorder.Rounded).Expand()
            .Title($"NetPerf: {done} cell{(done == 1 ? "" : "s")} done{(counts.Length > 0 ? ": " + counts : "")}, {Running.Count} running, {elapsed:hh\\:mm\\:ss} elapsed")
            .AddColumn("Cell")
            .AddColumn("Now");
        // Newest first, under the title: on a short terminal the live display crops the bottom, the oldest rows.
        foreach (var c in _cells.Skip(Math.Max(0, _cells.Count - rows)).Reverse())
        {
            table.AddRow(
                new Markup(Markup.Escape(c.Name)),
                new Markup(c.Outcome is null ? $"[yellow]{Markup.Escape(c.Step)}[/]" : Color(c.Outcome, c.Step)));
        }
        if (_cells.Count == 0)
            table.AddRow(new Markup("[grey]waiting for the first cell[/]"), new Markup(""));
        return table;
    }

    private static string Color(string outcome, string text) => outcome switch
    {
        "Passed" => $"[green]{Markup.Escape(text)}[/]",
        "Regressed" or "Failed" or "NewBaseline" => $"[red]{Markup.Escape(text)}[/]",
        "Improved" => $"[cyan]{Markup.Escape(text)}[/]",
        "Inconclusive" or "Unconfirmed" => $"[yellow]{Markup.Escape(text)}[/]",
        _ => $"[grey]{Markup.Escape(text)}[/]",
    };

    [GeneratedRegex(@"^(?<time>\d\d:\d\d:\d\d) (?<rest>.+)$")]
    private static partial Regex Line();

    [GeneratedRegex(@"^(?<outcome>[A-Z][A-Za-z]+) in \d+ s")]
    private static partial Regex Verdict();

    [GeneratedRegex(@"^[a-z ]+: (failed: |cancelled$)")]
    private static partial Regex AttemptFailed();

    private sealed class CellState(string name)
    {
        public string Name { get; } = name;
        public string Step { get; set; } = "";
        public string? Outcome { get; set; }
    }
}
