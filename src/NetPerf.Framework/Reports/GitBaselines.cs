using NetPerf.Testbeds.Host;

namespace NetPerf.Reports;

/// <summary>Reads the baseline files of a git revision (with <c>git ls-tree</c> and <c>git show rev:path</c>) or of the working tree.</summary>
/// <remarks>git is a command-line tool without an API, so it is run as a process; it must be on the PATH.</remarks>
internal static class GitBaselines
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>The label used for the working tree in messages and tables.</summary>
    public const string WorkingTreeLabel = "working tree";

    /// <summary>Reads the baselines under <paramref name="baselinesDirectory"/> as they are in <paramref name="revision"/>, or on disk when it is <see langword="null"/>.</summary>
    /// <param name="baselinesDirectory">The baselines folder (inside a git work tree).</param>
    /// <param name="revision">A revision git understands (<c>HEAD~1</c>, a branch, a commit), or <see langword="null"/> for the working tree.</param>
    /// <param name="cancellationToken">Cancels the git processes.</param>
    /// <exception cref="InvalidOperationException">The folder is not in a git work tree, or the revision is unknown.</exception>
    public static async Task<BaselineSnapshot> ReadAsync(string baselinesDirectory, string? revision, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baselinesDirectory);
        var directory = Path.GetFullPath(baselinesDirectory);
        if (revision is null)
            return ReadWorkingTree(directory);

        var (top, prefix) = await LocateAsync(directory, cancellationToken).ConfigureAwait(false);
        var verify = await Git(top, ["rev-parse", "--verify", "--quiet", revision + "^{commit}"], cancellationToken).ConfigureAwait(false);
        if (!verify.Succeeded)
            throw new InvalidOperationException($"git does not know the revision '{revision}' in '{top}'; pass a commit, branch or tag (e.g. HEAD~1), and fetch enough history (actions/checkout with fetch-depth: 0 or 2).");
        var commit = verify.Stdout.Trim();

        var listing = await Git(top, ["ls-tree", "-r", "-z", "--name-only", commit, "--", prefix.Length == 0 ? "." : prefix], cancellationToken).ConfigureAwait(false);
        if (!listing.Succeeded)
            throw new InvalidOperationException($"'git ls-tree {commit} -- {prefix}' failed in '{top}': {listing.Stderr.Trim()}");

        var texts = new List<KeyValuePair<string, string>>();
        foreach (var path in listing.Stdout.Split('\0', StringSplitOptions.RemoveEmptyEntries))
        {
            var relative = prefix.Length == 0 ? path : path[(prefix.Length + 1)..];
            if (!BaselineSnapshot.IsBaselinePath(relative))
                continue;
            var show = await Git(top, ["show", $"{commit}:{path}"], cancellationToken).ConfigureAwait(false);
            if (!show.Succeeded)
                throw new InvalidOperationException($"'git show {commit}:{path}' failed in '{top}': {show.Stderr.Trim()}");
            texts.Add(KeyValuePair.Create(relative, show.Stdout));
        }
        return BaselineSnapshot.FromTexts(revision, texts);
    }

    /// <summary>Reads the baselines on disk under <paramref name="baselinesDirectory"/> (an absent folder gives an empty snapshot).</summary>
    /// <param name="baselinesDirectory">The baselines folder.</param>
    public static BaselineSnapshot ReadWorkingTree(string baselinesDirectory)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(baselinesDirectory);
        var directory = Path.GetFullPath(baselinesDirectory);
        if (!Directory.Exists(directory))
            return BaselineSnapshot.FromTexts(WorkingTreeLabel, []);
        var texts = Directory.EnumerateFiles(directory, "*.json", SearchOption.AllDirectories)
            .Select(path => KeyValuePair.Create(Path.GetRelativePath(directory, path).Replace('\\', '/'), File.ReadAllText(path)));
        return BaselineSnapshot.FromTexts(WorkingTreeLabel, texts);
    }

    /// <summary>Compares the baselines of two revisions and renders the markdown table.</summary>
    /// <param name="baselinesDirectory">The baselines folder.</param>
    /// <param name="from">The older revision; <c>HEAD~1</c> when <see langword="null"/>.</param>
    /// <param name="to">The newer revision, or <see langword="null"/> for the working tree.</param>
    /// <param name="cancellationToken">Cancels the git processes.</param>
    public static async Task<BaselineDiff> DiffAsync(string baselinesDirectory, string? from, string? to, CancellationToken cancellationToken = default)
    {
        var before = await ReadAsync(baselinesDirectory, from ?? "HEAD~1", cancellationToken).ConfigureAwait(false);
        var after = await ReadAsync(baselinesDirectory, to, cancellationToken).ConfigureAwait(false);
        return BaselineDiff.Compare(before, after);
    }

    /// <summary>The work tree's root and the folder's path inside it (with <c>/</c>, empty for the root).</summary>
    private static async Task<(string Top, string Prefix)> LocateAsync(string directory, CancellationToken cancellationToken)
    {
        // The folder may not exist in the working tree (deleted, or never made); ask git from its nearest existing parent.
        var probe = directory;
        while (!Directory.Exists(probe) && Path.GetDirectoryName(probe) is { } parent)
            probe = parent;
        var result = await Git(probe, ["rev-parse", "--show-toplevel", "--show-prefix"], cancellationToken).ConfigureAwait(false);
        var lines = result.Stdout.Split('\n');
        if (!result.Succeeded || lines.Length < 2)
            throw new InvalidOperationException($"'{directory}' is not inside a git work tree (git rev-parse --show-toplevel: {result.Stderr.Trim()}); pass --baselines with the baselines folder of a clone.");
        // git reports the prefix with symlinks resolved, so it is taken from git rather than computed from the paths.
        var prefix = (lines[1].Trim().TrimEnd('/') + "/" + Path.GetRelativePath(probe, directory).Replace('\\', '/')).Trim('/');
        if (prefix.EndsWith("/.", StringComparison.Ordinal))
            prefix = prefix[..^2];
        if (prefix == ".")
            prefix = "";
        return (lines[0].Trim(), prefix);
    }

    private static Task<CommandResult> Git(string directory, IReadOnlyList<string> args, CancellationToken cancellationToken) =>
        HostCommand.RunAsync("git", ["-C", directory, "-c", "core.quotepath=off", .. args], Timeout, cancellationToken);
}
