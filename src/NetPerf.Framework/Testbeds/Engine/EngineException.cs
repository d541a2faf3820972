using System.Net;
using NetPerf.Testbeds.Engine;

// Author-facing, so in namespace NetPerf rather than NetPerf.Testbeds.Engine (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>The container engine refused or failed a call; carries the engine's own message.</summary>
public class EngineException : Exception
{
    /// <summary>Creates the exception.</summary>
    /// <param name="operation">What NetPerf asked for, e.g. <c>POST /containers/create (name 'np-ab12-s0')</c>.</param>
    /// <param name="statusCode">The HTTP status the engine answered with, if any.</param>
    /// <param name="engineMessage">The engine's own error message.</param>
    /// <param name="inner">The underlying failure, if any.</param>
    public EngineException(string operation, HttpStatusCode? statusCode, string engineMessage, Exception? inner = null)
        : base($"Container engine call {operation} failed{(statusCode is null ? "" : $" with HTTP {(int)statusCode}")}: {engineMessage}", inner)
    {
        Operation = operation;
        StatusCode = statusCode;
        EngineMessage = engineMessage;
    }

    /// <summary>What NetPerf asked for.</summary>
    public string Operation { get; }

    /// <summary>The HTTP status, or <see langword="null"/> when the engine could not be reached.</summary>
    public HttpStatusCode? StatusCode { get; }

    /// <summary>The engine's own message.</summary>
    public string EngineMessage { get; }

    /// <summary>The engine did not take the connection (stopped, crashed, restarting, or never there): asking again at once is pointless.</summary>
    internal bool EngineUnreachable { get; init; }
}
