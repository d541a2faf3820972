using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;
using NetPerf.Tests.Workloads;

namespace NetPerf.Tests.Testbeds;

/// <summary>A container that goes past its memory limit: the kernel's OOM killer ends the tool and NetPerf says so, naming the container.</summary>
public sealed class ContainerOomTests : IDisposable
{
    private const long Limit = 32L * 1024 * 1024;
    private readonly TestcontainersEngine _engine = TestcontainersEngine.FromEnvironment();

    public void Dispose() => _engine.Dispose();

    [Fact]
    [Trait("Category", "Integration")]
    public async Task A_tool_the_OOM_killer_ends_fails_naming_the_container_the_limit_and_OOM()
    {
        Assert.SkipUnless(new CapabilityCheck(_engine).Check(Driver.Bridge).Available, "needs the Bridge driver");
        var ct = TestContext.Current.CancellationToken;
        string session = Reaper.SessionId, tag;
        await using (var bed = await new TestbedBuilder().WithDriver(Driver.Bridge).WithPairs(1).WithMemoryPerContainer(Limit).WithEngine(_engine).BuildAsync(ct))
        {
            tag = bed.Name.Split('-')[^1];
            var client = bed.Pairs[0].Client;
            // The limit is in force where the kernel enforces it: the container's cgroup.
            Assert.Equal(Limit, MemoryAccounting.LimitBytes(client.Id));
            // A command well under the limit is untouched (8 MB through a pipe).
            var small = await bed.ExecAsync(client, ["sh", "-c", "head -c 8000000 /dev/zero | wc -c"], TimeSpan.FromSeconds(30), ct);
            Assert.Equal(0, small.ExitCode);
            Assert.Equal("8000000", small.Stdout.Trim());

            // 'tail' keeps the whole of a line without end in memory: it grows until the OOM killer ends it.
            var e = await Assert.ThrowsAsync<ContainerOomKilledException>(() => bed.ExecAsync(client, ["tail", "/dev/zero"], TimeSpan.FromSeconds(60), ct));

            Assert.Equal(client.Name, e.NodeName);
            Assert.Contains($"'tail /dev/zero' in container '{client.Name}' was OOM-killed", e.Message, StringComparison.Ordinal);
            Assert.Contains("memory limit of 32 MiB", e.Message, StringComparison.Ordinal);
            Assert.Contains("Raise the containers' memory limit", e.Message, StringComparison.Ordinal);
            // Only the tool died: the container runs on, and the next command works.
            Assert.True((await _engine.InspectContainerAsync(client.Id, ct)).Running);
            Assert.Equal(0, (await bed.ExecAsync(client, ["true"], TimeSpan.FromSeconds(30), ct)).ExitCode);
            // A SIGKILL that is not the OOM killer's (exit 137 too) is returned as the tool's exit, not called OOM.
            var killed = await bed.ExecAsync(client, ["sh", "-c", "kill -9 $$"], TimeSpan.FromSeconds(30), ct);
            Assert.Equal(137, killed.ExitCode);
        }

        await Leftovers.NoneLeftAsync(_engine, session, "a tool OOM-killed in its container", tag);
    }

    [Fact]
    public async Task A_workload_whose_tool_is_OOM_killed_fails_naming_the_tool_the_container_and_OOM()
    {
        const string oom = "'iperf3 -c 10.0.0.4' in container 'client-1' was OOM-killed: it went past its memory limit of 32 MiB and the kernel's OOM killer ended it (exit 137).";
        using var host = new FakeWorkloadHost(2)
        {
            Client = (_, _) => (Canned.Read("iperf3/tcp-bitrate-500M.json"), "", 0),
            ThrowAfterRelease = p => p.Index == 1 ? new ContainerOomKilledException(oom, p.Client.Name) : null,
        };

        var e = await Assert.ThrowsAsync<WorkloadException>(() => new Iperf3Workload { Duration = TimeSpan.FromSeconds(2) }.RunAsync(host, TestContext.Current.CancellationToken));

        Assert.Equal("client-1", e.NodeName);
        Assert.Contains("'iperf3' on 'client-1'", e.Message, StringComparison.Ordinal);
        Assert.Contains(oom, e.Message, StringComparison.Ordinal);
        Assert.IsType<ContainerOomKilledException>(e.InnerException);
    }

    [Theory]
    [InlineData("oom_kill_disable 0\nunder_oom 0\noom_kill 3\n", 3)]
    [InlineData("oom_kill_disable 0\nunder_oom 0\n", 0)]
    [InlineData("low 0\nhigh 0\nmax 12\noom 2\noom_kill 1\noom_group_kill 0\n", 1)]
    [InlineData("", 0)]
    public void The_oom_kill_counter_is_read_from_cgroup_v1_and_v2_files(string text, long kills) =>
        Assert.Equal(kills, MemoryAccounting.Counter(text, "oom_kill"));

    [Fact]
    public void A_memory_limit_below_the_engines_minimum_is_refused_with_the_minimum()
    {
        var e = Assert.Throws<ArgumentException>(() => new TestbedBuilder().WithMemoryPerContainer(1024 * 1024).BuildOptions());

        Assert.Contains("Memory per container must be at least 6291456 bytes (6 MiB", e.Message, StringComparison.Ordinal);
        Assert.Equal(Limit, new TestbedBuilder().WithMemoryPerContainer(Limit).BuildOptions().MemoryPerContainerBytes);
    }
}
