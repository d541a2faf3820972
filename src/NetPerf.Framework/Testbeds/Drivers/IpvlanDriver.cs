namespace NetPerf.Testbeds.Drivers;

/// <summary>A Docker ipvlan network (L2 mode) on a veth the testbed creates; needs the kernel's ipvlan, else skipped with the reason.</summary>
internal sealed class IpvlanDriver : MacvlanDriver
{
    /// <inheritdoc />
    public override string Name => nameof(Driver.Ipvlan);

    /// <inheritdoc />
    protected override string LinkType => "ipvlan";

    /// <inheritdoc />
    protected override (string Key, string Value) ModeOption => ("ipvlan_mode", "l2");

    /// <inheritdoc />
    /// <remarks>Not tried across engines: ipvlan children share their parent's MAC address, which the segment between two engines was not checked with.</remarks>
    public override bool SpansEngines => false;
}
