using System.Globalization;

namespace NetPerf.Workloads.Orchestration;

/// <summary>
/// Starts all clients of a run together, through files in the testbed's shared directory, and
/// holds the run's working directory (server pids, logs) until disposed.
/// </summary>
/// <remarks>
/// Protocol: each client creates <c>ready.&lt;i&gt;</c>, then spins (bash builtins only, no fork) until
/// <c>go</c> exists, prints <c>netperf-released=$EPOCHREALTIME</c> on stderr and runs its tool. The
/// workload creates <c>go</c> only when every <c>ready.&lt;i&gt;</c> exists. A spin beat a sleep loop
/// by 3x in start skew on 2 cores (6 ms vs 20 ms for 8 clients). On failure the workload creates
/// <c>abort</c> and then <c>go</c>, so no client is left spinning; a client also gives up on its own
/// after <see cref="MaxSpinSeconds"/>. Containers share the host kernel, so $EPOCHREALTIME of
/// different containers are readings of one clock.
/// </remarks>
internal sealed class StartBarrier : IDisposable
{
    /// <summary>What a released client prints on stderr before its release time (Unix seconds with microseconds).</summary>
    public const string ReleaseMarker = "netperf-released=";

    /// <summary>Exit code of a client told to abort instead of starting.</summary>
    public const int AbortedExitCode = 97;

    /// <summary>Exit code of a client that waited longer than <see cref="MaxSpinSeconds"/> for <c>go</c>.</summary>
    public const int GaveUpExitCode = 98;

    /// <summary>How long a client spins for <c>go</c> before giving up on its own, in seconds.</summary>
    public const int MaxSpinSeconds = 300;

    private StartBarrier(string id, string directoryOnHost, string directoryInContainer)
    {
        Id = id;
        DirectoryOnHost = directoryOnHost;
        DirectoryInContainer = directoryInContainer;
    }

    /// <summary>A unique name for this run, also the directory name.</summary>
    public string Id { get; }

    /// <summary>The run's directory, seen from the host.</summary>
    public string DirectoryOnHost { get; }

    /// <summary>The run's directory, seen from inside every container.</summary>
    public string DirectoryInContainer { get; }

    /// <summary>Creates a fresh run directory in the testbed's shared directory.</summary>
    /// <param name="host">The testbed.</param>
    /// <param name="runName">A name prefix, e.g. the workload name.</param>
    public static StartBarrier Create(IWorkloadHost host, string runName)
    {
        var id = $"{runName}-{Guid.NewGuid():N}"[..(runName.Length + 13)];
        var onHost = Path.Combine(host.SharedDirectoryOnHost, id);
        Directory.CreateDirectory(onHost);
        return new StartBarrier(id, onHost, host.SharedDirectoryInContainer.TrimEnd('/') + "/" + id);
    }

    /// <summary>Path of a file of this run, seen from the host.</summary>
    public string OnHost(string fileName) => Path.Combine(DirectoryOnHost, fileName);

    /// <summary>Path of a file of this run, seen from inside a container.</summary>
    public string InContainer(string fileName) => DirectoryInContainer + "/" + fileName;

    /// <summary>The bash script a client runs: wait at the barrier, report the release time, then run <paramref name="command"/>.</summary>
    /// <param name="participant">The client's 0-based index.</param>
    /// <param name="command">The tool's command line (bash syntax); its exit code becomes the script's.</param>
    /// <param name="outputToFiles">
    /// Whether the script writes its stdout and stderr (release line included) to <see cref="ClientOutputFile"/>s of the
    /// run directory instead of the exec's stream; <see cref="WithClientOutput"/> reads them back once the client exits.
    /// </param>
    public string ClientScript(int participant, string command, bool outputToFiles = false) => string.Create(CultureInfo.InvariantCulture,
        $"d={Shell.Quote(DirectoryInContainer)}; {(outputToFiles ? $"exec > \"$d/{ClientOutputFile(participant, "out")}\" 2> \"$d/{ClientOutputFile(participant, "err")}\"; " : "")}" +
        $": > \"$d/ready.{participant}\"; " +
        $"until [[ -e \"$d/go\" ]]; do (( SECONDS < {MaxSpinSeconds} )) || exit {GaveUpExitCode}; done; " +
        $"[[ -e \"$d/abort\" ]] && exit {AbortedExitCode}; " +
        $"echo \"{ReleaseMarker}$EPOCHREALTIME\" >&2; {command}");

    /// <summary>Name of the file of the run directory that holds a client's stdout (<c>out</c>) or stderr (<c>err</c>) when its script writes them to files.</summary>
    public static string ClientOutputFile(int participant, string stream) => string.Create(CultureInfo.InvariantCulture, $"client.{participant}.{stream}");

    /// <summary>
    /// <paramref name="result"/> with the client's output files (see <see cref="ClientScript"/>) after what its exec stream
    /// carried (only what the shell said before it redirected its output, e.g. that it could not).
    /// </summary>
    public CommandResult WithClientOutput(int participant, CommandResult result) => result with
    {
        Stdout = result.Stdout + ReadOrEmpty(ClientOutputFile(participant, "out")),
        Stderr = result.Stderr + ReadOrEmpty(ClientOutputFile(participant, "err")),
    };

    /// <summary>The text of a file of this run, or empty when it does not exist or cannot be read.</summary>
    public string ReadOrEmpty(string fileName)
    {
        var path = OnHost(fileName);
        try
        {
            return File.Exists(path) ? File.ReadAllText(path) : "";
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Waits until every client is at the barrier, then releases them all at once.</summary>
    /// <param name="clients">Each client's node and its running command, by participant index.</param>
    /// <param name="timeout">How long to wait for all clients to arrive.</param>
    /// <param name="cancellationToken">Cancels the wait.</param>
    /// <exception cref="WorkloadException">A client exited before the barrier, or not all arrived in time.</exception>
    public async Task ReleaseWhenReadyAsync(IReadOnlyList<(Node Node, Task<CommandResult> Command)> clients, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var early = clients.Select((c, i) => (c.Node, c.Command, Index: i)).FirstOrDefault(c => c.Command.IsCompleted);
            if (early.Command is not null)
            {
                var what = early.Command.IsCompletedSuccessfully ? WithClientOutput(early.Index, early.Command.Result).ToString() : early.Command.Exception?.GetBaseException().Message;
                throw new WorkloadException($"Client '{early.Node.Name}' exited before the start barrier released it: {what}", early.Node.Name);
            }
            var missing = Enumerable.Range(0, clients.Count).Where(i => !File.Exists(OnHost($"ready.{i}"))).ToList();
            if (missing.Count == 0)
            {
                await File.WriteAllBytesAsync(OnHost("go"), [], cancellationToken).ConfigureAwait(false);
                return;
            }
            if (DateTime.UtcNow > deadline)
                throw new WorkloadException(string.Create(CultureInfo.InvariantCulture,
                    $"Clients {string.Join(", ", missing.Select(i => $"'{clients[i].Node.Name}'"))} did not reach the start barrier within {timeout.TotalSeconds:0} s (no '{OnHost($"ready.{missing[0]}")}'); check that the shared directory is mounted at the same path in every container."),
                    missing.Count == 1 ? clients[missing[0]].Node.Name : null);
            await Task.Delay(2, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Releases every waiting client with the order to exit instead of starting its tool.</summary>
    public void Abort()
    {
        try
        {
            File.WriteAllBytes(OnHost("abort"), []);
            File.WriteAllBytes(OnHost("go"), []);
        }
        catch (IOException)
        {
            // Best effort: a client still spinning gives up on its own after MaxSpinSeconds.
        }
    }

    /// <summary>Reads the release time a client printed, in microseconds since the Unix epoch.</summary>
    /// <exception cref="WorkloadException">The client never passed the barrier.</exception>
    public static long ReleasedAtMicroseconds(CommandResult result, Node client, string tool)
    {
        if (result.ExitCode == AbortedExitCode || result.ExitCode == GaveUpExitCode)
            throw new WorkloadException($"Client '{client.Name}' did not start '{tool}': the start barrier was aborted or never opened ({result}).", client.Name);
        var line = result.Stderr.Split('\n').FirstOrDefault(l => l.StartsWith(ReleaseMarker, StringComparison.Ordinal));
        if (line is null || !TryParseEpoch(line[ReleaseMarker.Length..].Trim(), out var micros))
            throw new WorkloadException($"Client '{client.Name}' never reported leaving the start barrier (no '{ReleaseMarker}' line on stderr); is bash 5 in the image? {result}", client.Name);
        return micros;
    }

    /// <summary>Parses bash's $EPOCHREALTIME (<c>seconds.microseconds</c>) into microseconds since the Unix epoch.</summary>
    public static bool TryParseEpoch(string text, out long microseconds)
    {
        microseconds = 0;
        var parts = text.Split('.');
        if (parts.Length != 2 || parts[1].Length != 6
            || !long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var seconds)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var fraction)
            // Beyond this the microseconds do not fit in 64 bits (the year 294,000 and later).
            || seconds > long.MaxValue / 1_000_000 - 1)
            return false;
        microseconds = seconds * 1_000_000 + fraction;
        return true;
    }

    /// <summary>Deletes the run directory.</summary>
    public void Dispose()
    {
        try
        {
            Directory.Delete(DirectoryOnHost, recursive: true);
        }
        catch (IOException)
        {
            // The testbed removes its shared directory anyway; a leftover run directory is harmless.
        }
        catch (UnauthorizedAccessException)
        {
            // As above.
        }
    }
}
