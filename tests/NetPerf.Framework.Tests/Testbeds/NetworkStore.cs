using System.Text;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// Edits, in place, the network store of a Docker 20.10 engine NetPerf started itself (<c>network/files/local-kv.db</c>
/// under its data root, a BoltDB file), to put the engine into the states its stale-endpoint fault leaves. Never used on
/// the main engine.
/// </summary>
/// <remarks>
/// <para>
/// Why this works on a running engine (libnetwork as vendored in 20.10): the engine opens the file for every read and
/// write and closes it again (libkv's BoltDB store without <c>PersistConnection</c>), taking BoltDB's exclusive
/// <c>flock</c> each time; the edits here take the same lock (a <see cref="FileShare.None"/> open is an exclusive flock
/// in .NET on Linux). Every edit keeps the length of what it changes, so no page of the file moves. BoltDB pages carry no
/// checksum; a key and its value lie next to each other in a leaf page (a branch page repeats the first key of its child:
/// both copies are changed).
/// </para>
/// <para>
/// The two states: a network's stored endpoint count above its endpoints, none listed (<see cref="SetEndpointCount"/>),
/// the state parallel teardowns left here (by a race of the engine not identified: libnetwork deletes an endpoint and
/// decrements the count in separate writes, but its log showed no failed decrement); and an endpoint stored with no
/// container, as a container removal whose write of its endpoint fails leaves it (<see cref="HideKey"/> while the
/// container is removed, then <see cref="RestoreKey"/>). A network refuses removal with 403 "has active endpoints" while
/// the count it reads from the file (a network's removal reads it from there, not from the engine's cache) is above zero.
/// </para>
/// </remarks>
internal static class NetworkStore
{
    private const byte HiddenMark = (byte)'~';

    /// <summary>The store file of an engine with this data root.</summary>
    public static string FileOf(string dataRoot) => Path.Combine(dataRoot, "network", "files", "local-kv.db");

    /// <summary>The store's key of a network's endpoint count.</summary>
    public static string EndpointCountKey(string networkId) => $"docker/network/v1.0/endpoint_count/{networkId}/";

    /// <summary>The store's key of an endpoint.</summary>
    public static string EndpointKey(string networkId, string endpointId) => $"docker/network/v1.0/endpoint/{networkId}/{endpointId}/";

    /// <summary>Replaces the stored endpoint count <paramref name="from"/> with <paramref name="to"/> (one digit each, so the value keeps its length).</summary>
    /// <exception cref="InvalidOperationException">The store holds no count <paramref name="from"/> for the network.</exception>
    public static void SetEndpointCount(string dataRoot, string networkId, int from, int to)
    {
        if (from is < 0 or > 9 || to is < 0 or > 9) throw new ArgumentOutOfRangeException(nameof(to), "one digit each");
        Locked<int>(dataRoot, bytes =>
        {
            var at = CountsAt(bytes, networkId).Where(c => c.Count == from).ToList();
            if (at.Count == 0)
                throw new InvalidOperationException($"The store '{FileOf(dataRoot)}' holds no endpoint count {from} for network '{networkId}' (found: {string.Join(", ", CountsAt(bytes, networkId).Select(c => c.Count))}).");
            foreach (var (offset, _) in at) bytes[offset] = (byte)('0' + to);
            return at.Count;
        }, write: true);
    }

    /// <summary>
    /// Changes the last byte of every copy of <paramref name="key"/>, so the engine's next write of that key fails ("Key not
    /// found in store"); its reads come from its cache and still find it. Returns how many copies were changed.
    /// </summary>
    public static int HideKey(string dataRoot, string key) => Replace(dataRoot, key, key[..^1] + (char)HiddenMark);

    /// <summary>Undoes <see cref="HideKey"/>.</summary>
    public static int RestoreKey(string dataRoot, string key) => Replace(dataRoot, key[..^1] + (char)HiddenMark, key);

    private static int Replace(string dataRoot, string from, string to) =>
        Locked(dataRoot, bytes =>
        {
            var pattern = Encoding.ASCII.GetBytes(from);
            var replacement = Encoding.ASCII.GetBytes(to);
            var offsets = Find(bytes, pattern).ToList();
            foreach (var o in offsets) replacement.CopyTo(bytes, o);
            return offsets.Count;
        }, write: true);

    private static IEnumerable<(int Offset, int Count)> CountsAt(byte[] bytes, string networkId)
    {
        var key = Encoding.ASCII.GetBytes(EndpointCountKey(networkId));
        var prefix = Encoding.ASCII.GetBytes("{\"Count\":");
        foreach (var o in Find(bytes, key))
        {
            var value = o + key.Length + 8;
            if (value + prefix.Length + 2 > bytes.Length || !bytes.AsSpan(value, prefix.Length).SequenceEqual(prefix)) continue;
            var digit = value + prefix.Length;
            if (bytes[digit] is >= (byte)'0' and <= (byte)'9' && bytes[digit + 1] == (byte)'}')
                yield return (digit, bytes[digit] - '0');
        }
    }

    private static IEnumerable<int> Find(byte[] bytes, byte[] pattern)
    {
        for (var i = bytes.AsSpan().IndexOf(pattern); i >= 0;)
        {
            yield return i;
            var next = bytes.AsSpan(i + 1).IndexOf(pattern);
            i = next < 0 ? -1 : i + 1 + next;
        }
    }

    /// <summary>Runs <paramref name="edit"/> on the file's bytes while holding BoltDB's lock; writes them back when <paramref name="write"/>.</summary>
    private static T Locked<T>(string dataRoot, Func<byte[], T> edit, bool write = false)
    {
        var file = FileOf(dataRoot);
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (true)
        {
            FileStream stream;
            try
            {
                stream = new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None);
            }
            catch (IOException) when (DateTime.UtcNow < deadline && File.Exists(file))
            {
                // The engine holds the lock for one read or write: milliseconds.
                Thread.Sleep(5);
                continue;
            }
            using (stream)
            {
                var bytes = new byte[stream.Length];
                stream.ReadExactly(bytes);
                var result = edit(bytes);
                if (write)
                {
                    stream.Position = 0;
                    stream.Write(bytes);
                    stream.Flush(flushToDisk: true);
                }
                return result;
            }
        }
    }
}
