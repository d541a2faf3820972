using System.Globalization;
using System.Text;
using NetPerf.Baselines;
using NetPerf.Experiments;

namespace NetPerf.Reports;

/// <summary>
/// The notice of a first run on a testbed: which cells were recorded as provisional baselines, where the files are,
/// and the command that commits them.
/// </summary>
/// <remarks>
/// <c>netperf report</c> prints it to the console and <see cref="MarkdownSummary"/> appends it to <c>summary.md</c>, so
/// whoever looks at a green first run learns that its numbers are not committed yet. The testbed and the folder are
/// taken from each cell's <see cref="CellResult.BaselinePath"/> (<c>{baselines}/{testbed}/{scenario}/{cell}.json</c>).
/// </remarks>
internal static class FirstRunNotice
{
    /// <summary>The outcome of a cell recorded as a provisional baseline on a testbed that had none.</summary>
    public const string ProvisionalOutcome = "Provisional";

    /// <summary>
    /// The notice for the provisional cells among <paramref name="cells"/>: one block, a heading and the commit command
    /// per testbed, then how further runs add to the baselines; empty when no cell is provisional.
    /// </summary>
    /// <param name="cells">The cells of a run.</param>
    /// <param name="workingDirectory">
    /// The folder the commit command is meant to be run from (the repository root in CI); a baseline folder below it
    /// is written relative to it. <see langword="null"/> writes absolute paths.
    /// </param>
    public static string Format(IReadOnlyList<CellResult> cells, string? workingDirectory = null)
    {
        ArgumentNullException.ThrowIfNull(cells);
        var provisional = cells.Where(c => c.Outcome == ProvisionalOutcome).ToList();
        if (provisional.Count == 0)
            return "";

        var text = new StringBuilder();
        foreach (var testbed in provisional.GroupBy(c => TestbedFolder(c.BaselinePath), StringComparer.Ordinal).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            int count = testbed.Count();
            string cellsRecorded = count == 1 ? "1 cell recorded as a provisional baseline" : $"{count.ToString(CultureInfo.InvariantCulture)} cells recorded as provisional baselines";
            if (testbed.Key.Length == 0)
            {
                text.Append("== First run on a new testbed: ").Append(cellsRecorded).Append(" ==\n")
                    .Append("Written to:   the cells name no baseline file; look in $NETPERF_BASELINES (default baselines/) for the new testbed folder\n");
                continue;
            }
            var name = Path.GetFileName(testbed.Key);
            var shown = Shown(testbed.Key, workingDirectory);
            text.Append("== First run on testbed '").Append(name).Append("': ").Append(cellsRecorded).Append(" ==\n")
                .Append("Written to:   ").Append(shown).Append(Path.DirectorySeparatorChar).Append('\n')
                .Append("Commit them:  git add ").Append(ShellWord(shown)).Append(" && git commit -m ").Append(ShellWord("Baselines for " + name)).Append('\n');
        }
        text.Append("From the next run on, every cell compares against them; each further run on a fresh testbed can be added with NETPERF_RECORD=1 (a baseline keeps up to ")
            .Append(BaselineStore.DefaultKeepRuns.ToString(CultureInfo.InvariantCulture))
            .Append(" runs) so verdicts learn how much runs differ.\n");
        return text.ToString();
    }

    /// <summary>The testbed folder of a baseline file (two levels up: <c>{testbed}/{scenario}/{cell}.json</c>), or empty when there is none.</summary>
    private static string TestbedFolder(string? baselinePath)
    {
        if (string.IsNullOrWhiteSpace(baselinePath))
            return "";
        var scenarioFolder = Path.GetDirectoryName(baselinePath);
        var testbedFolder = string.IsNullOrEmpty(scenarioFolder) ? null : Path.GetDirectoryName(scenarioFolder);
        return string.IsNullOrEmpty(testbedFolder) ? "" : testbedFolder;
    }

    private static string Shown(string folder, string? workingDirectory)
    {
        if (workingDirectory is null || !Path.IsPathRooted(folder))
            return folder;
        var relative = Path.GetRelativePath(workingDirectory, folder);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? folder : relative;
    }

    /// <summary>Quotes a word for a POSIX shell when it holds anything but plain path characters, so the command can be pasted as it is.</summary>
    private static string ShellWord(string word) =>
        word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '+' or '=' or ',' or '@' or '%')
            ? word
            : "'" + word.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
}
