using System.Security.Cryptography;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

public sealed class TestbedUnitTests
{
    [Fact]
    public void Builder_lists_every_problem_at_once()
    {
        var e = Assert.Throws<ArgumentException>(() => new TestbedBuilder().WithPairs(0).WithCpus(-1).WithMtu(100).BuildOptions());
        Assert.Contains("Pairs must be at least 1", e.Message);
        Assert.Contains("CPU quota must be positive", e.Message);
        Assert.Contains("MTU must be between", e.Message);
    }

    [Fact]
    public void Builder_is_immutable()
    {
        var a = new TestbedBuilder().WithPairs(2);
        var b = a.WithPairs(5).WithDriver(Driver.Ovs);
        Assert.Equal(2, a.BuildOptions().Pairs);
        Assert.Equal("Bridge", a.BuildOptions().Driver.Name);
        Assert.Equal(5, b.BuildOptions().Pairs);
        Assert.Equal("Ovs", b.BuildOptions().Driver.Name);
    }

    [Fact]
    public void Image_tag_is_the_hash_the_build_script_computes()
    {
        var root = RepositoryRoot();
        var bytes = File.ReadAllBytes(Path.Combine(root, "image", "packages.txt")).Concat(File.ReadAllBytes(Path.Combine(root, "image", "Dockerfile"))).ToArray();
        var expected = Convert.ToHexString(SHA256.HashData(bytes))[..12].ToLowerInvariant();
        Assert.Equal(expected, ToolsImage.RecipeHash);
    }

    [Fact]
    public void Process_identity_tells_a_live_process_from_a_dead_or_recycled_one()
    {
        Assert.True(ProcessIdentity.IsAlive(ProcessIdentity.Current));
        var pid = Environment.ProcessId;
        Assert.False(ProcessIdentity.IsAlive($"{pid}:1"));
        Assert.False(ProcessIdentity.IsAlive("999999999:1"));
        Assert.False(ProcessIdentity.IsAlive("garbage"));
    }

    [Fact]
    public void Only_names_of_dead_or_unknown_sessions_are_swept()
    {
        var dead = new HashSet<string> { "abcde" };
        Assert.True(LeftoverSweeper.IsDeadSessionName("npabcde0ks1", dead));
        Assert.True(LeftoverSweeper.IsDeadSessionName("np0000001ob", new HashSet<string>()));
        Assert.False(LeftoverSweeper.IsDeadSessionName($"np{Reaper.SessionId}01s1", dead));
        Assert.False(LeftoverSweeper.IsDeadSessionName("eth0", dead));
        Assert.False(LeftoverSweeper.IsDeadSessionName("docker0", dead));
    }

    [Fact]
    public void Subnet_lease_gives_addresses_in_its_24()
    {
        using var lease = new SubnetLease(7, Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString()));
        Assert.Equal("10.213.7.0/24", lease.Cidr);
        Assert.Equal("10.213.7.1", lease.Gateway);
        Assert.Equal("10.213.7.254", lease.Host(254));
        Assert.Throws<ArgumentOutOfRangeException>(() => lease.Host(255));
    }

    [Fact]
    public void A_subnet_lease_disposed_twice_never_frees_the_subnet_another_run_leased_since()
    {
        var file = Path.Combine(Path.GetTempPath(), Guid.NewGuid().ToString());
        File.WriteAllText(file, "run A");
        var first = new SubnetLease(9, file);
        first.Dispose();
        Assert.False(File.Exists(file));
        File.WriteAllText(file, "run B"); // another run leases 10.213.9.0/24 now

        first.Dispose();

        Assert.Equal("run B", File.ReadAllText(file));
        File.Delete(file);
    }

    internal static string RepositoryRoot()
    {
        var dir = AppContext.BaseDirectory;
        while (dir is not null && !File.Exists(Path.Combine(dir, "NetPerf.sln"))) dir = Path.GetDirectoryName(dir);
        return dir ?? throw new InvalidOperationException("NetPerf.sln not found above " + AppContext.BaseDirectory);
    }
}
