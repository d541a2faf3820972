using System.Globalization;
using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A reserved 10.213.N.0/24 subnet; disposing releases it.</summary>
public sealed class SubnetLease : IDisposable
{
    private readonly string _file;
    private int _released;

    internal SubnetLease(int thirdOctet, string file)
    {
        ThirdOctet = thirdOctet;
        _file = file;
    }

    /// <summary>N in 10.213.N.0/24.</summary>
    public int ThirdOctet { get; }

    /// <summary>The subnet in CIDR form.</summary>
    public string Cidr => $"10.213.{ThirdOctet.ToString(CultureInfo.InvariantCulture)}.0/24";

    /// <summary>The gateway address (.1), reserved for the engine's bridge.</summary>
    public string Gateway => Host(1);

    /// <summary>The address with host part <paramref name="host"/> (1..254).</summary>
    public string Host(int host) => host is < 1 or > 254
        ? throw new ArgumentOutOfRangeException(nameof(host), host, "A /24 has host numbers 1..254; use at most 126 pairs per testbed.")
        : $"10.213.{ThirdOctet.ToString(CultureInfo.InvariantCulture)}.{host.ToString(CultureInfo.InvariantCulture)}";

    /// <inheritdoc />
    /// <remarks>Only the first call releases: once released, another run may lease the same subnet (the same file), which a second call must not take from it.</remarks>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _released, 1) == 1) return;
        try { File.Delete(_file); }
        catch (IOException) { }
    }
}
