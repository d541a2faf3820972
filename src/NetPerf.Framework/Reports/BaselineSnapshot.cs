using NetPerf.Baselines;

namespace NetPerf.Reports;

/// <summary>The baseline files of <c>baselines/</c> at one point in history (a git revision or the working tree).</summary>
/// <param name="Label">What the snapshot is, e.g. <c>HEAD~1</c> or <c>working tree</c>.</param>
/// <param name="Files">The readable baselines, keyed by their path relative to the baselines folder (with <c>/</c>).</param>
/// <param name="Problems">Files that could not be read, as <c>path: reason</c> (e.g. a merge conflict).</param>
internal sealed record BaselineSnapshot(string Label, IReadOnlyDictionary<string, BaselineFile> Files, IReadOnlyList<string> Problems)
{
    /// <summary>Builds a snapshot from file texts, e.g. read with <c>git show</c>; received files and other non-baseline files are skipped.</summary>
    /// <param name="label">What the snapshot is.</param>
    /// <param name="texts">The text of each file by its path relative to the baselines folder.</param>
    public static BaselineSnapshot FromTexts(string label, IEnumerable<KeyValuePair<string, string>> texts)
    {
        ArgumentNullException.ThrowIfNull(texts);
        var files = new SortedDictionary<string, BaselineFile>(StringComparer.Ordinal);
        var problems = new List<string>();
        foreach (var (path, text) in texts.OrderBy(t => t.Key, StringComparer.Ordinal))
        {
            if (!IsBaselinePath(path))
                continue;
            try
            {
                files[path] = BaselineJson.Deserialize(text, path);
            }
            catch (BaselineFormatException e)
            {
                problems.Add($"{path}: {e.Message}");
            }
        }
        return new BaselineSnapshot(label, files, problems);
    }

    /// <summary>Whether <paramref name="relativePath"/> names a baseline file: <c>*.json</c>, not <c>*.received.json</c>.</summary>
    /// <param name="relativePath">A path relative to the baselines folder.</param>
    public static bool IsBaselinePath(string relativePath)
    {
        ArgumentNullException.ThrowIfNull(relativePath);
        return relativePath.EndsWith(".json", StringComparison.Ordinal)
            && !relativePath.EndsWith(".received.json", StringComparison.Ordinal);
    }
}
