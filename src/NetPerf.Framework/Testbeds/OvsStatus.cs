using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>Open vSwitch on this machine.</summary>
/// <param name="Installed">ovs-vsctl is on PATH.</param>
/// <param name="Running">ovsdb-server and ovs-vswitchd answer.</param>
/// <param name="Version">ovs-vsctl's version line, when installed.</param>
/// <param name="KernelDatapath">The kernel has the openvswitch module; otherwise only the userspace (netdev) datapath works.</param>
public sealed record OvsStatus(bool Installed, bool Running, string? Version, bool KernelDatapath)
{
    /// <summary>The datapath type a testbed uses: <c>system</c> (kernel) or <c>netdev</c> (userspace).</summary>
    public string Datapath => KernelDatapath ? "system" : "netdev";
}
