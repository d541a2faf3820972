using System.Globalization;
using System.Text;

namespace NetPerf.Baselines;

/// <summary>Files baselines on disk and runs the received/accept workflow.</summary>
/// <remarks>
/// <para>
/// Layout: <c>{root}/{testbed}/{scenario}/{cell}.json</c>, where <c>{root}</c> is the repository's <c>baselines</c>
/// folder and each part is made safe for a file name (<c>/</c> and <c>\</c> become <c>__</c>, other characters that
/// some file system rejects become <c>_</c>). New numbers that fail a gate go to <c>{cell}.received.json</c> next to
/// the baseline. <see cref="Accept"/> and <see cref="Record"/> add the new run to the baseline's runs and keep the
/// newest <see cref="KeepRuns"/>; with <c>replace</c> the new run starts the baseline over (after a real, reviewed change).
/// </para>
/// <para>
/// A baseline that cannot be read (malformed, truncated, or belonging to another cell) is never replaced by
/// <see cref="Accept"/> or <see cref="Record"/> unless <c>force</c> is set: it may be a merge conflict a person must resolve.
/// </para>
/// </remarks>
internal sealed class BaselineStore
{
    private const string Extension = ".json";
    private const string ReceivedExtension = ".received.json";
    private static readonly char[] UnsafeCharacters = ['<', '>', ':', '"', '|', '?', '*'];

    /// <summary>How many runs a baseline keeps by default (<c>NETPERF_KEEP_RUNS</c> overrides it for a run).</summary>
    public const int DefaultKeepRuns = 10;

    /// <summary>Creates a store rooted at <paramref name="rootDirectory"/>.</summary>
    /// <param name="rootDirectory">The folder that holds one subfolder per testbed, normally <c>{repository}/baselines</c>.</param>
    /// <param name="keepRuns">How many runs a baseline keeps; the oldest go first.</param>
    public BaselineStore(string rootDirectory, int keepRuns = DefaultKeepRuns)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(rootDirectory);
        ArgumentOutOfRangeException.ThrowIfLessThan(keepRuns, 1);
        RootDirectory = Path.GetFullPath(rootDirectory);
        KeepRuns = keepRuns;
    }

    /// <summary>The absolute root folder.</summary>
    public string RootDirectory { get; }

    /// <summary>How many runs a baseline keeps.</summary>
    public int KeepRuns { get; }

    /// <summary>
    /// Whether <paramref name="testbed"/> is new: its folder holds no baseline, or only runs that the job run
    /// <paramref name="runId"/> recorded itself (a first run on a testbed records every cell in turn).
    /// </summary>
    /// <param name="testbed">The testbed name.</param>
    /// <param name="runId">This job run's id, or <see langword="null"/>.</param>
    public bool IsNewTestbed(string testbed, string? runId)
    {
        var folder = Path.Combine(RootDirectory, SafeSegment(testbed, nameof(testbed)));
        if (!Directory.Exists(folder))
            return true;
        foreach (var path in Directory.EnumerateFiles(folder, "*" + Extension, SearchOption.AllDirectories))
        {
            if (path.EndsWith(ReceivedExtension, StringComparison.Ordinal))
                continue;
            try
            {
                var file = ReadFile(path);
                if (runId is null || file.Runs.Any(r => r.RunId != runId))
                    return false;
            }
            catch (BaselineFormatException)
            {
                // An unreadable baseline is still a baseline someone committed: the testbed is not new.
                return false;
            }
        }
        return true;
    }

    /// <summary>The path of the baseline file for <paramref name="key"/> (it may not exist).</summary>
    /// <param name="key">The baseline's key.</param>
    public string BaselinePath(BaselineKey key) => Path.Combine(Folder(key), SafeSegment(key.Cell, nameof(key.Cell)) + Extension);

    /// <summary>The path of the received file for <paramref name="key"/> (it may not exist).</summary>
    /// <param name="key">The baseline's key.</param>
    public string ReceivedPath(BaselineKey key) => Path.Combine(Folder(key), SafeSegment(key.Cell, nameof(key.Cell)) + ReceivedExtension);

    /// <summary>Reads the baseline for <paramref name="key"/>.</summary>
    /// <param name="key">The baseline's key.</param>
    /// <returns>The baseline, or <see langword="null"/> when there is no file.</returns>
    /// <exception cref="BaselineFormatException">The file is malformed, truncated, mistyped, or belongs to another key.</exception>
    public BaselineFile? Read(BaselineKey key) => ReadAt(BaselinePath(key), key);

    /// <summary>Reads the received file for <paramref name="key"/>.</summary>
    /// <param name="key">The baseline's key.</param>
    /// <returns>The received numbers, or <see langword="null"/> when there is no file.</returns>
    /// <exception cref="BaselineFormatException">The file is malformed, truncated, mistyped, or belongs to another key.</exception>
    public BaselineFile? ReadReceived(BaselineKey key) => ReadAt(ReceivedPath(key), key);

    /// <summary>Writes <paramref name="file"/> as the received file next to its baseline; the baseline itself is not touched.</summary>
    /// <param name="file">The new numbers.</param>
    /// <returns>The path written.</returns>
    public string WriteReceived(BaselineFile file)
    {
        ArgumentNullException.ThrowIfNull(file);
        var path = ReceivedPath(file.Key);
        WriteAtomically(path, BaselineJson.Serialize(file));
        return path;
    }

    /// <summary>Deletes the received file for <paramref name="key"/>, e.g. when the cell passes again.</summary>
    /// <param name="key">The baseline's key.</param>
    /// <returns>Whether a file was deleted.</returns>
    public bool DeleteReceived(BaselineKey key)
    {
        var path = ReceivedPath(key);
        if (!File.Exists(path))
            return false;
        File.Delete(path);
        return true;
    }

    /// <summary>Adds the received run to the baseline (or starts it over with <paramref name="replace"/>) and deletes the received file.</summary>
    /// <param name="key">The baseline's key.</param>
    /// <param name="force">Replace the baseline even when it cannot be read.</param>
    /// <param name="replace">Start the baseline over with the received run instead of adding it to the runs kept.</param>
    /// <returns>The baseline path.</returns>
    /// <exception cref="FileNotFoundException">There is no received file to accept.</exception>
    /// <exception cref="BaselineFormatException">The received file is invalid, or the baseline is unreadable and <paramref name="force"/> is not set.</exception>
    /// <exception cref="ArgumentException">A metric's unit or direction changed; pass <paramref name="replace"/>.</exception>
    public string Accept(BaselineKey key, bool force = false, bool replace = false)
    {
        var receivedPath = ReceivedPath(key);
        if (!File.Exists(receivedPath))
            throw new FileNotFoundException($"There is no received file '{receivedPath}' to accept for '{key}'; run the cell first so that it writes one.", receivedPath);
        var received = ReadAt(receivedPath, key)!;
        var path = Record(received, force, replace);
        File.Delete(receivedPath);
        return path;
    }

    /// <summary>
    /// Adds the runs of <paramref name="file"/> to its baseline (record mode, or merging runs from elsewhere), keeping the
    /// newest <see cref="KeepRuns"/>; with <paramref name="replace"/> or without a baseline, <paramref name="file"/> becomes it.
    /// Deletes a stale received file.
    /// </summary>
    /// <param name="file">The numbers to record.</param>
    /// <param name="force">Replace the baseline even when it cannot be read.</param>
    /// <param name="replace">Start the baseline over with <paramref name="file"/>'s runs.</param>
    /// <returns>The baseline path.</returns>
    /// <exception cref="BaselineFormatException">The existing baseline is unreadable and <paramref name="force"/> is not set.</exception>
    /// <exception cref="ArgumentException">A metric's unit or direction changed; pass <paramref name="replace"/>.</exception>
    public string Record(BaselineFile file, bool force = false, bool replace = false)
    {
        ArgumentNullException.ThrowIfNull(file);
        var key = file.Key;
        var baselinePath = BaselinePath(key);
        BaselineFile? existing = null;
        if (!force)
            existing = EnsureReplaceable(baselinePath, key);
        else if (!replace)
        {
            try { existing = ReadAt(baselinePath, key); }
            catch (BaselineFormatException) { existing = null; }
        }
        var result = replace || existing is null
            ? file with { Runs = file.Runs.Skip(Math.Max(0, file.Runs.Count - KeepRuns)).ToList() }
            : existing.WithRunsOf(file, KeepRuns);
        WriteAtomically(baselinePath, BaselineJson.Serialize(result));
        // A received file from before now holds older numbers than the baseline; accepting it later would add them again.
        DeleteReceived(key);
        return baselinePath;
    }

    /// <summary>Makes <paramref name="text"/> usable as one path segment: no separators, nothing a common file system rejects.</summary>
    internal static string SafeSegment(string text, string what)
    {
        var safe = new StringBuilder(text.Length);
        foreach (char c in text)
        {
            if (c is '/' or '\\')
                safe.Append("__");
            else if (char.IsControl(c) || char.IsWhiteSpace(c) || Array.IndexOf(UnsafeCharacters, c) >= 0)
                safe.Append('_');
            else
                safe.Append(c);
        }
        // Windows drops trailing dots; a leading dot would hide the file or, as "..", climb out of the root.
        var result = safe.ToString().TrimEnd('.');
        if (result.StartsWith('.'))
            result = "_" + result[1..];
        return result.Length == 0
            ? throw new ArgumentException($"The {what} '{text}' gives an empty file name; use letters or digits in it.", what)
            : result;
    }

    private string Folder(BaselineKey key)
    {
        ArgumentNullException.ThrowIfNull(key);
        return Path.Combine(RootDirectory, SafeSegment(key.Testbed, nameof(key.Testbed)), SafeSegment(key.Scenario, nameof(key.Scenario)));
    }

    private static BaselineFile? ReadAt(string path, BaselineKey key)
    {
        if (!File.Exists(path))
            return null;
        var file = ReadFile(path);
        // Different keys can map to one file name ("a/b" and "a__b"); the key inside the file decides.
        if (file.Key != key)
            throw new BaselineFormatException(path, "$",
                $"the file belongs to '{file.Key}', not to '{key}'; two cells map to the same file name, so rename one of them.");
        return file;
    }

    /// <summary>Reads and parses one file, refusing one above <see cref="BaselineJson.MaxFileBytes"/> before reading it.</summary>
    private static BaselineFile ReadFile(string path)
    {
        var size = new FileInfo(path).Length;
        if (size > BaselineJson.MaxFileBytes)
            throw BaselineJson.TooLarge(path, size);
        return BaselineJson.Deserialize(File.ReadAllText(path, Encoding.UTF8), path);
    }

    private static BaselineFile? EnsureReplaceable(string baselinePath, BaselineKey key)
    {
        try
        {
            return ReadAt(baselinePath, key);
        }
        catch (BaselineFormatException e)
        {
            throw new BaselineFormatException(e.FilePath, e.JsonPath,
                $"{e.Problem} NetPerf does not overwrite a baseline it cannot read (it may hold a merge conflict); fix or delete it, or pass force: true to replace it.", e);
        }
    }

    /// <summary>Writes <paramref name="text"/> to <paramref name="path"/> through a temporary file beside it and a rename.</summary>
    /// <remarks>
    /// The rename replaces the file in one step, so a reader, a crash or a kill at any moment finds the old file or the
    /// new one, never half of one. A failed write deletes its temporary file and leaves the old file as it was. A killed
    /// one leaves its temporary file (<c>{file}.{pid}.{random}.tmp</c>, which no baseline reader looks at); the next write
    /// of the same file deletes every such file whose writer process is gone.
    /// </remarks>
    /// <param name="path">The file to write, e.g. a baseline; its folder is created.</param>
    /// <param name="text">The whole new content (UTF-8 without a byte order mark).</param>
    public static void WriteAtomically(string path, string text) =>
        WriteAtomically(path, text, (temporary, target) => File.Move(temporary, target, overwrite: true));

    /// <summary><see cref="WriteAtomically(string, string)"/> with the rename given, so a test can fail it after the temporary file is written.</summary>
    internal static void WriteAtomically(string path, string text, Action<string, string> rename)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        ArgumentNullException.ThrowIfNull(text);
        Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
        RemoveTemporariesOfDeadWriters(path);
        // The writer's pid in the name tells a later write whether the file is a live writer's or a killed one's.
        var temporary = string.Create(CultureInfo.InvariantCulture, $"{path}.{Environment.ProcessId}.{Path.GetRandomFileName().Replace(".", "", StringComparison.Ordinal)}.tmp");
        try
        {
            File.WriteAllText(temporary, text, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false));
            rename(temporary, path);
        }
        finally
        {
            if (File.Exists(temporary))
                File.Delete(temporary);
        }
    }

    /// <summary>Deletes the temporary files beside <paramref name="path"/> that writers which no longer run left (killed in the middle of a write).</summary>
    /// <remarks>
    /// A temporary file of a live process (another thread or process writing the same file right now) is kept, and so
    /// is one whose name carries no pid (written before temporary names had one). A pid the system has since given to
    /// another process keeps a dead writer's file until that process is gone too.
    /// </remarks>
    /// <returns>The files deleted.</returns>
    internal static IReadOnlyList<string> RemoveTemporariesOfDeadWriters(string path)
    {
        var full = Path.GetFullPath(path);
        var folder = Path.GetDirectoryName(full)!;
        var name = Path.GetFileName(full);
        var removed = new List<string>();
        if (!Directory.Exists(folder))
            return removed;
        foreach (var temporary in Directory.EnumerateFiles(folder, name + ".*.tmp"))
        {
            var middle = Path.GetFileName(temporary)[(name.Length + 1)..^".tmp".Length];
            if (!int.TryParse(middle.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid) || IsRunning(pid))
                continue;
            try
            {
                File.Delete(temporary);
                removed.Add(temporary);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // Left for a later write; the baseline itself is not affected.
            }
        }
        return removed;
    }

    private static bool IsRunning(int pid)
    {
        if (pid == Environment.ProcessId)
            return true;
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(pid);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false;
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }
}
