namespace NetPerf.Testbeds.Host;

/// <summary>A block of host ports held by this run; disposing releases it.</summary>
/// <param name="from">The first port.</param>
/// <param name="count">How many ports.</param>
/// <param name="files">The lease files to delete.</param>
internal sealed class PortBlockLease(int from, int count, IReadOnlyList<string> files) : IDisposable
{
    private int _released;

    /// <summary>The first port of the block.</summary>
    public int From => from;

    /// <summary>The last port of the block.</summary>
    public int To => from + count - 1;

    /// <summary>Releases the block once; a second call does nothing (the files may be another run's by then).</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        foreach (var file in files)
        {
            try { File.Delete(file); }
            catch (IOException) { }
        }
    }
}
