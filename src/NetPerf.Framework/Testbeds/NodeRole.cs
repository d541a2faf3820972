namespace NetPerf.Testbeds;

/// <summary>The role of a container in a client/server pair.</summary>
public enum NodeRole
{
    /// <summary>The listening side.</summary>
    Server,

    /// <summary>The connecting side.</summary>
    Client,
}
