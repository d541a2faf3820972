using System.Text;
using NetPerf.Baselines;

namespace NetPerf.Tests.Baselines;

/// <summary>
/// A baseline write that is interrupted, or read while it happens, leaves the old file or the new one, never half of one;
/// an accept interrupted between writing the baseline and deleting the received file can be run again safely.
/// </summary>
public sealed class AtomicBaselineWriteTests : IDisposable
{
    private readonly string root = Path.Combine(Path.GetTempPath(), "netperf-atomic-" + Guid.NewGuid().ToString("N"));
    private readonly BaselineStore store;

    public AtomicBaselineWriteTests() => store = new BaselineStore(root);

    public void Dispose()
    {
        if (Directory.Exists(root))
            Directory.Delete(root, recursive: true);
    }

    [Fact]
    public void A_write_that_fails_after_its_temporary_file_is_written_leaves_the_old_file_whole_and_no_temporary_file()
    {
        var path = store.Record(SampleBaselines.File(runId: "r0001"));
        var before = File.ReadAllBytes(path);
        var newText = BaselineJson.Serialize(SampleBaselines.File(scale: 0.5, hoursLater: 5, runId: "r0002"));
        string? seen = null;

        var e = Assert.Throws<IOException>(() => BaselineStore.WriteAtomically(path, newText, (temporary, target) =>
        {
            // The moment of the crash: the new text is complete beside the baseline, which is still the old one.
            seen = File.ReadAllText(temporary);
            Assert.Equal(path, target);
            Assert.Equal(before, File.ReadAllBytes(target));
            throw new IOException("the machine lost power");
        }));

        Assert.Equal("the machine lost power", e.Message);
        Assert.Equal(newText, seen);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal([path], Directory.GetFiles(root, "*", SearchOption.AllDirectories));
        Assert.Equal(["r0001"], store.Read(SampleBaselines.File().Key)!.Runs.Select(r => r.RunId));
    }

    [Fact]
    public async Task A_reader_during_many_writes_always_finds_the_whole_old_or_the_whole_new_file()
    {
        var path = Path.Combine(root, "t", "s", "cell.json");
        // Large and of different lengths, so a truncate-then-write would be seen as an empty, short or mixed file.
        string a = new('a', 3_000_000), b = new('b', 2_000_000);
        BaselineStore.WriteAtomically(path, a);
        using var stop = new CancellationTokenSource();
        var torn = new List<string>();
        var reads = 0;
        var reader = Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                var text = File.ReadAllText(path, Encoding.UTF8);
                reads++;
                if (text != a && text != b)
                    torn.Add($"{text.Length} characters, starting '{text[..Math.Min(1, text.Length)]}'");
            }
        }, TestContext.Current.CancellationToken);

        for (var i = 0; i < 60; i++)
            BaselineStore.WriteAtomically(path, i % 2 == 0 ? b : a);
        await stop.CancelAsync();
        await reader;

        Assert.True(reads > 0, "the reader never ran");
        Assert.True(torn.Count == 0, $"{torn.Count} of {reads} reads found half a file, e.g. {torn.FirstOrDefault()}");
        Assert.Equal(a, File.ReadAllText(path));
        Assert.Equal([path], Directory.GetFiles(root, "*", SearchOption.AllDirectories));
    }

    [Fact]
    public void An_accept_interrupted_before_the_received_file_was_deleted_adds_its_run_once_when_run_again()
    {
        var key = SampleBaselines.File().Key;
        store.Record(SampleBaselines.File(runId: "r0001"));
        var receivedPath = store.WriteReceived(BaselineFile.ForRun(key.Scenario, key.Cell, key.Testbed,
            SampleBaselines.Run(scale: 0.7, hoursLater: 48, runId: "r0002") with { Origin = "accept" }));
        var received = File.ReadAllBytes(receivedPath);

        store.Accept(key);
        var once = File.ReadAllBytes(store.BaselinePath(key));
        // The kill came after the baseline's rename and before the received file's deletion: it is still there.
        File.WriteAllBytes(receivedPath, received);
        store.Accept(key);

        Assert.Equal(once, File.ReadAllBytes(store.BaselinePath(key)));
        Assert.Equal(["r0001", "r0002"], store.Read(key)!.Runs.Select(r => r.RunId));
        Assert.False(File.Exists(receivedPath));
    }
}
