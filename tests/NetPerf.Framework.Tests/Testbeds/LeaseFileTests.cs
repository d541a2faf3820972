using NetPerf.Testbeds.Host;

namespace NetPerf.Tests.Testbeds;

/// <summary>Lease files (subnets, port units): taken once, owned by this process, released only when their owner is gone.</summary>
public sealed class LeaseFileTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netperf-leases-").FullName;

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private string File_(string name) => Path.Combine(_root, name);

    [Fact]
    public void A_lease_is_taken_once_and_names_this_process()
    {
        Assert.True(LeaseFile.TryTake(File_("a")));
        Assert.False(LeaseFile.TryTake(File_("a")));

        Assert.Equal(ProcessIdentity.Current, File.ReadAllText(File_("a")));
    }

    [Fact]
    public void A_lease_being_created_whose_owner_is_not_written_yet_is_not_taken_for_dead()
    {
        // The moment between CreateNew and the owner's write, as another run's sweep sees it.
        File.WriteAllText(File_("new"), "");
        File.WriteAllText(File_("old"), "");
        File.SetLastWriteTimeUtc(File_("old"), DateTime.UtcNow - LeaseFile.CreationGrace - TimeSpan.FromSeconds(1));

        LeaseFile.ReleaseDead(_root);

        Assert.True(File.Exists(File_("new")));
        // Empty for longer than a write can take: its writer died before writing; released.
        Assert.False(File.Exists(File_("old")));
    }

    [Fact]
    public void Leases_of_dead_owners_are_released_and_live_ones_kept()
    {
        File.WriteAllText(File_("dead"), "999999999:1");
        Assert.True(LeaseFile.TryTake(File_("live")));

        LeaseFile.ReleaseDead(_root);

        Assert.False(File.Exists(File_("dead")));
        Assert.True(File.Exists(File_("live")));
    }
}
