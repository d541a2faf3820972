using System.Globalization;
using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>A reserved 10.213.N.0/24 subnet; disposing releases it.</summary>
public sealed class SubnetLease : IDisposable
{
    private readonly string _file;

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
    public void Dispose()
    {
        try { File.Delete(_file); }
        catch (IOException) { }
    }
}
