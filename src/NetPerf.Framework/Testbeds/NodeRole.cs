using NetPerf.Testbeds;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The role of a container in a client/server pair.</summary>
public enum NodeRole
{
    /// <summary>The listening side.</summary>
    Server,

    /// <summary>The connecting side.</summary>
    Client,
}
