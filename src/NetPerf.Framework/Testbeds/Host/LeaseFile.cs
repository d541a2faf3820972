namespace NetPerf.Testbeds.Host;

/// <summary>
/// A lease held against other NetPerf runs on this machine: a file whose name is what is held (a subnet, a port unit) and
/// whose text is the owner process (<see cref="ProcessIdentity"/>), created only when no run holds it
/// (<see cref="FileMode.CreateNew"/>). Shared by <see cref="SubnetAllocator"/> and <see cref="PortLeases"/>.
/// </summary>
internal static class LeaseFile
{
    /// <summary>
    /// How long a lease may have no owner written yet: between its creation and the owner's write, another run's sweep
    /// reads an empty file, which must not count as a dead owner.
    /// </summary>
    internal static readonly TimeSpan CreationGrace = TimeSpan.FromSeconds(10);

    /// <summary>Takes the lease at <paramref name="path"/> for this process; false when another lease holds it.</summary>
    public static bool TryTake(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.CreateNew, FileAccess.Write);
            using var writer = new StreamWriter(stream);
            writer.Write(ProcessIdentity.Current);
            return true;
        }
        catch (IOException) when (File.Exists(path))
        {
            return false;
        }
    }

    /// <summary>Deletes the leases under <paramref name="root"/> whose owner process is gone (not those still being created).</summary>
    public static void ReleaseDead(string root)
    {
        if (!Directory.Exists(root)) return;
        foreach (var file in Directory.GetFiles(root))
        {
            string owner;
            DateTime written;
            try
            {
                owner = File.ReadAllText(file).Trim();
                written = File.GetLastWriteTimeUtc(file);
            }
            catch (IOException)
            {
                continue;
            }
            if (owner.Length == 0 && DateTime.UtcNow - written < CreationGrace) continue;
            if (!ProcessIdentity.IsAlive(owner)) File.Delete(file);
        }
    }
}
