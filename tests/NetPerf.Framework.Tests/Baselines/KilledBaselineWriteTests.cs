using System.Diagnostics;
using System.Globalization;
using NetPerf.Baselines;
using NetPerf.Tests.Testbeds;
using NetPerf.Tests.Reliability;

namespace NetPerf.Tests.Baselines;

/// <summary>
/// A real <c>netperf accept</c> process SIGKILLed at many moments of its write of a large baseline: the baseline is
/// always the whole old or the whole new text and still reads, and the temporary file a killed write leaves is removed
/// by the next write of that baseline.
/// </summary>
public sealed class KilledBaselineWriteTests : IDisposable
{
    private const int Kills = 20;
    private const int OldRuns = 9;
    private const int OffloadsPerRun = 12_000;

    private readonly string _root = Path.Combine(Path.GetTempPath(), "netperf-kill-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root))
            Directory.Delete(_root, recursive: true);
    }

    [Fact]
    public async Task A_SIGKILLed_accept_leaves_the_whole_old_or_the_whole_new_baseline_and_the_next_write_removes_its_temporary_file()
    {
        var ct = TestContext.Current.CancellationToken;
        var setup = Stopwatch.StartNew();
        var store = new BaselineStore(_root);
        var key = SampleBaselines.File().Key;
        var path = store.Record(SampleBaselines.File() with { Runs = [.. Enumerable.Range(0, OldRuns).Select(i => LargeRun(i))] });
        var receivedPath = store.WriteReceived(BaselineFile.ForRun(key.Scenario, key.Cell, key.Testbed, LargeRun(OldRuns)));
        var oldText = File.ReadAllText(path);
        var oldBytes = File.ReadAllBytes(path);
        var received = File.ReadAllBytes(receivedPath);
        var folder = Path.GetDirectoryName(path)!;
        var log = TestContext.Current.TestOutputHelper;
        var total = Stopwatch.StartNew();
        log?.WriteLine($"setup {setup.Elapsed.TotalSeconds:0.0} s");

        // Measured first: how long the child writes (from its temporary file's appearance to the rename).
        var calibration = await AcceptAsync(folder, killAfter: null, ct);
        Assert.Equal(0, calibration.ExitCode);
        var newBytes = File.ReadAllBytes(path);
        Assert.NotEqual(oldBytes, newBytes);
        Assert.Equal(OldRuns + 1, store.Read(key)!.Runs.Count);
        Assert.False(File.Exists(receivedPath));
        Assert.Empty(Temporaries(folder));
        Assert.InRange(newBytes.Length, 3_000_000, BaselineJson.MaxFileBytes);
        var write = calibration.Write!.Value;
        log?.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"baseline {oldBytes.Length} -> {newBytes.Length} bytes; the child wrote for {write.TotalMilliseconds:0.0} ms, {calibration.TemporaryAt!.Value.TotalMilliseconds:0} ms after it started; it ran {calibration.Ran.TotalMilliseconds:0} ms"));

        BaselineStore.WriteAtomically(path, oldText);
        File.WriteAllBytes(receivedPath, received);
        int old = 0, whole = 0, leftTemporary = 0, removed = 0, exited = 0;
        for (var i = 0; i < Kills; i++)
        {
            // Moments from the temporary file's appearance to 20% past the measured end of the write.
            var after = write * (1.2 * i / (Kills - 1));
            var run = await AcceptAsync(folder, after, ct);
            var where = string.Create(CultureInfo.InvariantCulture, $"kill {i} ({after.TotalMilliseconds:0.0} ms into the write)");
            if (!run.Killed) exited++;

            var bytes = File.ReadAllBytes(path);
            var isOld = bytes.AsSpan().SequenceEqual(oldBytes);
            Assert.True(isOld || bytes.AsSpan().SequenceEqual(newBytes), $"{where}: the baseline ({bytes.Length} bytes) is neither the whole old nor the whole new text");
            Assert.Equal(isOld ? OldRuns : OldRuns + 1, store.Read(key)!.Runs.Count);
            if (isOld)
                Assert.True(File.Exists(receivedPath), $"{where}: the received file is gone while the baseline is still the old one");
            if (isOld) old++; else whole++;

            var temporaries = Temporaries(folder);
            if (temporaries.Count > 0)
            {
                leftTemporary++;
                var left = Assert.Single(temporaries);
                Assert.StartsWith(string.Create(CultureInfo.InvariantCulture, $"{path}.{run.Pid}."), left, StringComparison.Ordinal);
            }

            // The next write of the baseline (which also puts the old text back for the next kill) removes what the killed one left.
            BaselineStore.WriteAtomically(path, oldText);
            // Leaked: a temporary file the next write did not remove (a half-written baseline failed the test above).
            ReliabilityLedger.Faults("6. Data safety", "SIGKILL of 'netperf accept' during its baseline write, then the next write", 1, Temporaries(folder).Count);
            Assert.True(Temporaries(folder).Count == 0, $"{where}: the next write left the killed writer's temporary file: {string.Join(", ", Temporaries(folder))}");
            removed += temporaries.Count;
            Assert.Equal(oldBytes, File.ReadAllBytes(path));
            File.WriteAllBytes(receivedPath, received);
        }
        log?.WriteLine($"{Kills} kills: {old} left the old baseline, {whole} the new one; {leftTemporary} left a temporary file ({removed} removed by the next write); {exited} ended before the kill; {total.Elapsed.TotalSeconds:0.0} s in all");

        // The kills really fell inside the write (a temporary file was left) and on both sides of the rename.
        Assert.True(leftTemporary > 0, "no kill came while the temporary file was being written");
        Assert.True(old > 0 && whole > 0, $"the kills did not span the rename: {old} old, {whole} new");
    }

    [Fact]
    public void A_write_removes_the_temporary_files_of_dead_writers_of_that_file_only()
    {
        var path = Path.Combine(_root, "t", "s", "cell.json");
        BaselineStore.WriteAtomically(path, "old");
        using var gone = Process.Start(new ProcessStartInfo("true") { UseShellExecute = false })!;
        gone.WaitForExit();
        string Temporary(string file, int pid) => string.Create(CultureInfo.InvariantCulture, $"{file}.{pid}.abcdefghijk.tmp");
        var dead = Temporary(path, gone.Id);
        var live = Temporary(path, Environment.ProcessId);
        var otherFile = Temporary(Path.Combine(_root, "t", "s", "other.json"), gone.Id);
        var noPid = path + ".abcdefgh.ijk.tmp";
        foreach (var f in new[] { dead, live, otherFile, noPid })
            File.WriteAllText(f, "half");

        BaselineStore.WriteAtomically(path, "new");

        Assert.False(File.Exists(dead), "a dead writer's temporary file is still there");
        Assert.True(File.Exists(live), "a live writer's temporary file was removed");
        Assert.True(File.Exists(otherFile), "another file's temporary file was removed");
        Assert.True(File.Exists(noPid), "a temporary file without a pid was removed");
        Assert.Equal("new", File.ReadAllText(path));
    }

    /// <summary>
    /// A run whose fingerprint lists 12,000 offload settings (about 0.5 MB of text): megabytes of baseline that read fast.
    /// Many metrics would do too (reading a baseline of 1,600 metrics of 150 samples took the CLI 16 s until it stopped
    /// computing shape statistics it never stores; 2 s since: scripts/bench-accept.sh).
    /// </summary>
    private static BaselineRun LargeRun(int index)
    {
        var run = SampleBaselines.Run(scale: 1 + (index / 100.0), hoursLater: index, runId: string.Create(CultureInfo.InvariantCulture, $"r{index:0000}"));
        return run with
        {
            Fingerprint = run.Fingerprint with
            {
                Offloads = Enumerable.Range(0, OffloadsPerRun).ToDictionary(
                    o => string.Create(CultureInfo.InvariantCulture, $"veth{o:00000}-tx-checksum"), o => (o + index) % 3 == 0 ? "on" : "off"),
            },
        };
    }

    private static List<string> Temporaries(string folder) => [.. Directory.EnumerateFiles(folder, "*.tmp").Order(StringComparer.Ordinal)];

    /// <summary>Runs <c>netperf accept</c> on the folder's baselines; with <paramref name="killAfter"/>, SIGKILLs it that long after its temporary file appears.</summary>
    private async Task<AcceptRun> AcceptAsync(string folder, TimeSpan? killAfter, CancellationToken ct)
    {
        var started = Stopwatch.StartNew();
        using var child = CliChild.Start("accept", "--baselines", _root);
        var output = child.StandardOutput.ReadToEndAsync(ct);
        var error = child.StandardError.ReadToEndAsync(ct);
        TimeSpan? appeared = null, renamed = null;
        var killed = false;
        // Spin: the write takes milliseconds, a timer would miss it.
        while (!child.HasExited && started.Elapsed < TimeSpan.FromSeconds(30))
        {
            var present = Directory.EnumerateFiles(folder, "*.tmp").Any();
            if (present && appeared is null) appeared = started.Elapsed;
            if (!present && appeared is not null && renamed is null) renamed = started.Elapsed;
            if (killAfter is { } delay && appeared is { } at && started.Elapsed >= at + delay)
            {
                child.Kill();
                killed = true;
                break;
            }
        }
        await child.WaitForExitAsync(ct);
        var ran = started.Elapsed;
        await Task.WhenAll(output, error);
        Assert.True(killed || child.ExitCode == 0, $"netperf accept exited with {child.ExitCode}: {error.Result}{output.Result}");
        if (killed)
            Assert.Equal(137, child.ExitCode);
        Assert.True(killAfter is not null || (appeared is not null && renamed is not null), "the calibration run's temporary file was not seen; the spin loop missed the write");
        return new AcceptRun(child.Id, killed, killed ? 137 : child.ExitCode, ran, appeared, renamed - appeared);
    }

    private sealed record AcceptRun(int Pid, bool Killed, int ExitCode, TimeSpan Ran, TimeSpan? TemporaryAt, TimeSpan? Write);
}
