using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using NetPerf.Logging;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Logging;

public sealed class NetPerfLogTests : IDisposable
{
    private readonly string _root = Path.Combine(Path.GetTempPath(), "netperf-log-" + Guid.NewGuid().ToString("N"));

    public void Dispose()
    {
        if (Directory.Exists(_root)) Directory.Delete(_root, recursive: true);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("off")]
    [InlineData("0")]
    public void Unset_or_off_logs_nothing(string? level) =>
        Assert.Same(NullLoggerFactory.Instance, NetPerfLog.Create(level, null, _root));

    [Fact]
    public void A_level_that_is_not_one_says_which_values_work()
    {
        var e = Assert.Throws<ArgumentException>(() => NetPerfLog.Create("verbose", null, _root));
        Assert.Contains("NETPERF_LOG=debug", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Debug_writes_debug_lines_to_the_results_folder_and_information_leaves_them_out()
    {
        using (var debug = NetPerfLog.Create("debug", null, _root))
        {
            var log = debug.CreateLogger("NetPerf.Test");
            log.LogTrace("not written");
            log.LogDebug("ip link add {Name}", "np-veth0");
            log.LogWarning("engine call failed");
        }
        var lines = File.ReadAllLines(Path.Combine(_root, NetPerfLog.DefaultFileName));
        Assert.Equal(2, lines.Length);
        Assert.Matches(@"^\d\d:\d\d:\d\d\.\d\d\d dbug NetPerf\.Test: ip link add np-veth0$", lines[0]);
        Assert.EndsWith("warn NetPerf.Test: engine call failed", lines[1], StringComparison.Ordinal);

        var file = Path.Combine(_root, "other", "info.log");
        using (var info = NetPerfLog.Create("information", file, _root))
        {
            info.CreateLogger("X").LogDebug("hidden");
            info.CreateLogger("X").LogInformation("shown");
        }
        Assert.Equal(["shown"], File.ReadAllLines(file).Select(l => l[(l.IndexOf(": ", StringComparison.Ordinal) + 2)..]));
    }

    [Fact]
    public async Task Engine_calls_are_logged_with_their_command_outcome_and_duration_and_failures_as_warnings()
    {
        var file = Path.Combine(_root, "engine.log");
        using (var factory = NetPerfLog.Create("debug", file, _root))
        {
            using var engine = new LoggingContainerEngine(new ScriptedEngine(), factory.CreateLogger("NetPerf.Engine"));
            var ok = await engine.ExecAsync("0123456789abcdef0123", ["iperf3", "-c", "10.0.0.2"], TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            Assert.Equal(0, ok.ExitCode);
            var failed = await engine.ExecAsync("0123456789abcdef0123", ["false"], TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken);
            Assert.Equal(1, failed.ExitCode);
            await Assert.ThrowsAsync<EngineException>(() => engine.RemoveNetworkAsync("np-net", TestContext.Current.CancellationToken));
        }
        var lines = File.ReadAllLines(file);
        Assert.Equal(3, lines.Length);
        Assert.Matches(@"dbug NetPerf\.Engine: exec in 0123456789ab: iperf3 -c 10\.0\.0\.2 -> exit 0 in \d+ ms$", lines[0]);
        Assert.Contains("exec in 0123456789ab: false -> exit 1: no such thing", lines[1], StringComparison.Ordinal);
        Assert.Contains("warn NetPerf.Engine: remove network np-net -> failed in", lines[2], StringComparison.Ordinal);
        Assert.Contains("network in use", lines[2], StringComparison.Ordinal);
    }

    [Fact]
    public void With_NETPERF_LOG_debug_the_cli_logs_its_host_commands()
    {
        var file = Path.Combine(_root, "cli.log");
        var psi = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        psi.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "netperf.dll"));
        psi.ArgumentList.Add("sweep");
        psi.Environment[NetPerfLog.Variable] = "debug";
        psi.Environment[NetPerfLog.FileVariable] = file;
        using var process = Process.Start(psi)!;
        process.StandardOutput.ReadToEnd();
        process.StandardError.ReadToEnd();
        Assert.True(process.WaitForExit(120_000));
        var text = File.Exists(file) ? File.ReadAllText(file) : "";
        // The sweep lists the host's links with ip (a host command) and asks the engine for NetPerf's containers.
        Assert.Contains("dbug NetPerf.Host: ip ", text, StringComparison.Ordinal);
    }

    private sealed class ScriptedEngine : IContainerEngine
    {
        public string Endpoint => "unix:///scripted.sock";

        public Task<CommandResult> ExecAsync(string containerId, IReadOnlyList<string> command, TimeSpan timeout, CancellationToken cancellationToken = default) =>
            Task.FromResult(command[0] == "false" ? new CommandResult(1, "", "no such thing\n", TimeSpan.Zero) : new CommandResult(0, "ok", "", TimeSpan.Zero));

        public Task RemoveNetworkAsync(string idOrName, CancellationToken cancellationToken = default) =>
            throw new EngineException("DELETE /networks/np-net", System.Net.HttpStatusCode.Forbidden, "network in use");

        public Task<EngineInfo> GetInfoAsync(CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<bool> ImageExistsAsync(string image, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> GetImageIdAsync(string image, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> CreateNetworkAsync(NetworkSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<string>> ForceDisconnectEndpointsAsync(string networkIdOrName, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<NetworkSummary>> ListNetworksAsync(string? labelFilter = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<string> RunContainerAsync(ContainerSpec spec, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<ContainerDetails> InspectContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task RemoveContainerAsync(string id, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task<IReadOnlyList<ContainerSummary>> ListContainersAsync(string? labelFilter = null, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public Task ExecDetachedAsync(string containerId, IReadOnlyList<string> command, CancellationToken cancellationToken = default) => throw new NotSupportedException();
        public void Dispose()
        {
        }
    }
}
