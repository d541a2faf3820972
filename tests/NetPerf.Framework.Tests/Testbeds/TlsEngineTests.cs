using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Docker.DotNet.Models;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Cluster;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Testbeds;

/// <summary>
/// A second engine reached over mutual TLS (issue 14, remote hosts): a dockerd in its own network namespace that also
/// listens on tcp://10.214.K.2:2376 with --tlsverify and certificates made for it, joined to the main engine's swarm. It
/// stands in for a remote host: the clients speak TLS to it over a veth, as they would over a real network.
/// </summary>
[Trait("Category", "Integration")]
[Collection(nameof(AcrossNodesTests))]
public sealed partial class TlsEngineTests(TlsEngineTests.TlsEngine fixture) : IClassFixture<TlsEngineTests.TlsEngine>
{
    // A refused TLS connection must fail fast, not wait for a long call timeout.
    private static readonly TimeSpan RefusalBound = TimeSpan.FromSeconds(20);

    [Fact]
    public async Task A_Testcontainers_engine_over_TLS_creates_starts_execs_in_and_removes_a_container()
    {
        var ct = TestContext.Current.CancellationToken;
        var (main, tlsEngine) = fixture.Require();
        // Images go over TLS too (the second node's image copy).
        var settings = await WithToolsImageAsync(main, tlsEngine, ct);
        using (var api = new SwarmApi(settings))
        {
            Assert.True(await api.HasImageAsync(ToolsImage.Reference, ct));
            Assert.Equal("active", (await api.StateAsync(ct)).State);
        }
        using var engine = new TestcontainersEngine(settings);
        var name = $"np{Reaper.SessionId}tls-c";
        var spec = new ContainerSpec(name, ToolsImage.Reference, ["sleep", "300"], "none", null,
            new Dictionary<string, string> { [Reaper.SessionLabel] = Reaper.SessionId }, [], [], null, null, new Dictionary<string, string>());

        var info = await engine.GetInfoAsync(ct);
        var id = await engine.RunContainerAsync(spec, ct);
        try
        {
            Assert.True((await engine.InspectContainerAsync(id, ct)).Running);
            var exec = await engine.ExecAsync(id, ["sh", "-c", "echo over-tls; cat /proc/sys/kernel/osrelease"], TimeSpan.FromSeconds(30), ct);
            Assert.True(exec.Succeeded, exec.ToString());
            Assert.StartsWith("over-tls\n", exec.Stdout, StringComparison.Ordinal);
            Assert.Equal(info.KernelVersion, exec.Stdout.Split('\n')[1].Trim());
            // The container is on the namespaced engine (its unix socket sees it), not on the main one.
            Assert.Contains(await tlsEngine.Engine.ListContainersAsync(null, ct), c => c.Id == id);
            Assert.DoesNotContain(await main.ListContainersAsync(null, ct), c => c.Id == id);
        }
        finally
        {
            await engine.RemoveContainerAsync(id, ct);
        }
        Assert.DoesNotContain(await engine.ListContainersAsync(null, ct), c => c.Id == id);
    }

    [Fact]
    public async Task Without_a_client_certificate_the_engine_refuses_with_a_message_naming_the_endpoint()
    {
        var (_, tlsEngine) = fixture.Require();
        var tls = EngineTls.FromFolder(tlsEngine.ClientCertPath!, "test", clientCertificate: false);

        var message = await RefusalAsync(new EngineEndpoint(tlsEngine.TlsEndpoint, tls));

        Assert.Contains($"the engine at '{tlsEngine.TlsEndpoint}' refused the TLS connection", message, StringComparison.Ordinal);
        Assert.Contains("without a client certificate", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_client_certificate_from_another_CA_is_refused_with_a_message_naming_the_endpoint_and_the_certificate()
    {
        var (_, tlsEngine) = fixture.Require();
        var other = fixture.OtherAuthority();
        // The right CA for the engine's certificate, the wrong one behind the client certificate.
        var folder = fixture.Compose("foreign-client", ("ca.pem", tlsEngine.ClientCertPath!), ("cert.pem", other), ("key.pem", other));

        var message = await RefusalAsync(new EngineEndpoint(tlsEngine.TlsEndpoint, EngineTls.FromFolder(folder, "test")));

        Assert.Contains($"the engine at '{tlsEngine.TlsEndpoint}' refused the TLS connection", message, StringComparison.Ordinal);
        Assert.Contains($"'{Path.Combine(folder, "cert.pem")}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_engine_certificate_from_an_untrusted_CA_is_refused_with_a_message_naming_the_endpoint_and_the_ca_file()
    {
        var (_, tlsEngine) = fixture.Require();
        var other = fixture.OtherAuthority();
        var folder = fixture.Compose("foreign-ca", ("ca.pem", other), ("cert.pem", tlsEngine.ClientCertPath!), ("key.pem", tlsEngine.ClientCertPath!));

        var message = await RefusalAsync(new EngineEndpoint(tlsEngine.TlsEndpoint, EngineTls.FromFolder(folder, "test")));

        Assert.Contains($"NetPerf does not trust the TLS certificate of the engine at '{tlsEngine.TlsEndpoint}'", message, StringComparison.Ordinal);
        Assert.Contains($"'{Path.Combine(folder, "ca.pem")}'", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Plain_tcp_to_the_TLS_port_says_to_turn_TLS_on()
    {
        var (_, tlsEngine) = fixture.Require();

        var message = await RefusalAsync(new EngineEndpoint(tlsEngine.TlsEndpoint));

        Assert.Contains($"the engine at '{tlsEngine.TlsEndpoint}' speaks TLS", message, StringComparison.Ordinal);
        Assert.Contains("DOCKER_TLS_VERIFY=1", message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Netperf_provision_across_nodes_uses_a_second_node_named_by_NETPERF_SECOND_NODE_over_TLS_and_leaves_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (main, tlsEngine) = fixture.Require();
        Assert.SkipUnless(new CapabilityCheck(main).Check(Driver.Overlay).Available, "needs the Overlay driver");
        var settings = ClientOf(tlsEngine);
        // Without the image on the second node, the child must copy it there over TLS.
        using (var docker = settings.ClientBuilder().Build())
        {
            try { await docker.Images.DeleteImageAsync(ToolsImage.Reference, new ImageDeleteParameters { Force = true }, ct); }
            catch (Docker.DotNet.DockerImageNotFoundException) { }
        }
        Assert.False(await tlsEngine.Engine.ImageExistsAsync(ToolsImage.Reference, ct));

        var environment = new Dictionary<string, string?>
        {
            [SecondNode.Variable] = tlsEngine.TlsEndpoint,
            [SecondNode.TlsVerifyVariable] = "1",
            [SecondNode.CertPathVariable] = tlsEngine.ClientCertPath,
        };
        var watch = Stopwatch.StartNew();
        using var child = CliChild.Start(environment, "provision", "--driver", "Overlay", "--placement", "AcrossNodes", "--workload-seconds", "3", "--hold", "3");
        try
        {
            var session = await CliChild.ReadSessionAsync(child, ct);
            await CliChild.WaitForLineAsync(child, "ready:", ct);
            Assert.True(await tlsEngine.Engine.ImageExistsAsync(ToolsImage.Reference, ct), "the child did not copy the tools image to the second node");
            var network = (await main.ListNetworksAsync($"{Reaper.SessionLabel}={session}", ct)).Single(n => n.Driver == "overlay");
            // The client containers run on the TLS engine.
            Assert.NotEmpty(await tlsEngine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct));
            var before = await VxlanCounters.ReadAsync(network.Id, tlsEngine.ExecRoot, ct);

            var finished = await CliChild.WaitForLineAsync(child, "workload: finished", ct);
            var after = await VxlanCounters.ReadAsync(network.Id, tlsEngine.ExecRoot, ct);
            var gbits = double.Parse(GbitPattern().Match(finished).Groups[1].Value, CultureInfo.InvariantCulture);
            TestContext.Current.TestOutputHelper?.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{finished} (ready and finished after {watch.Elapsed.TotalSeconds:0.0} s); VXLAN on the TLS engine: {before} -> {after}"));

            Assert.True(gbits > 0, finished);
            Assert.NotNull(before);
            Assert.NotNull(after);
            // 3 s of iperf3 at any rate above 0.01 Gbit/s is more than 1 MB through the second engine's VXLAN device.
            Assert.True(after.Value.Bytes - before.Value.Bytes > 1_000_000, $"the VXLAN interface on the TLS engine counted {after.Value.Bytes - before.Value.Bytes} bytes");

            await child.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(90), ct);
            Assert.Equal(0, child.ExitCode);
            Assert.Empty(await Leftovers.OfSessionAsync(main, session));
            Assert.Empty(await tlsEngine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct));
            Assert.Empty(await tlsEngine.Engine.ListNetworksAsync($"{Reaper.SessionLabel}={session}", ct));
            Assert.False(Directory.Exists(Path.Combine(Reaper.StateRoot, "sessions", session)));
            // The child used the engine it was given; it started no engine of its own.
            Assert.False(Directory.Exists(Path.Combine(NamespacedEngine.StateRoot, session)));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
                await child.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    [Fact]
    public async Task Netperf_provision_on_a_main_engine_named_by_DOCKER_HOST_over_TLS_moves_bytes_and_leaves_nothing()
    {
        var ct = TestContext.Current.CancellationToken;
        var (main, tlsEngine) = fixture.Require();
        await WithToolsImageAsync(main, tlsEngine, ct);
        var environment = new Dictionary<string, string?>
        {
            ["DOCKER_HOST"] = tlsEngine.TlsEndpoint,
            ["DOCKER_TLS_VERIFY"] = "1",
            ["DOCKER_CERT_PATH"] = tlsEngine.ClientCertPath,
            [SecondNode.Variable] = null,
        };

        using var child = CliChild.Start(environment, "provision", "--driver", "Bridge", "--workload-seconds", "2");
        try
        {
            var session = await CliChild.ReadSessionAsync(child, ct);
            await CliChild.WaitForLineAsync(child, "ready:", ct);
            // The testbed is on the TLS engine, not on the main one.
            Assert.NotEmpty(await tlsEngine.Engine.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct));
            Assert.Empty(await main.ListContainersAsync($"{Reaper.SessionLabel}={session}", ct));
            var finished = await CliChild.WaitForLineAsync(child, "workload: finished", ct);
            TestContext.Current.TestOutputHelper?.WriteLine(finished);
            Assert.True(double.Parse(GbitPattern().Match(finished).Groups[1].Value, CultureInfo.InvariantCulture) > 0, finished);

            await child.WaitForExitAsync(ct).WaitAsync(TimeSpan.FromSeconds(90), ct);
            Assert.Equal(0, child.ExitCode);
            Assert.Empty(await Leftovers.OfSessionAsync(tlsEngine.Engine, session));
            Assert.False(Directory.Exists(Path.Combine(Reaper.StateRoot, "sessions", session)));
        }
        finally
        {
            if (!child.HasExited)
            {
                child.Kill();
                await child.WaitForExitAsync(CancellationToken.None);
            }
        }
    }

    private static async Task<string> RefusalAsync(EngineEndpoint endpoint)
    {
        var ct = TestContext.Current.CancellationToken;
        using var engine = new TestcontainersEngine(endpoint) { CallTimeout = TimeSpan.FromSeconds(15) };
        var watch = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<EngineException>(() => engine.GetInfoAsync(ct).WaitAsync(RefusalBound * 2, ct));
        Assert.True(watch.Elapsed < RefusalBound, $"the refusal took {watch.Elapsed.TotalSeconds:0.0} s");
        // The swarm and image client (the second node's image copy) says the same.
        using var api = new SwarmApi(endpoint, TimeSpan.FromSeconds(15));
        var swarm = await Assert.ThrowsAsync<EngineException>(() => api.StateAsync(ct));
        Assert.Contains($"'{endpoint.Address}'", swarm.Message, StringComparison.Ordinal);
        TestContext.Current.TestOutputHelper?.WriteLine($"{e.Message}\n(after {watch.Elapsed.TotalSeconds:0.00} s)");
        return e.Message;
    }

    [GeneratedRegex(@"([0-9.]+) Gbit/s")]
    private static partial Regex GbitPattern();

    /// <summary>
    /// The main engine and a namespaced second engine listening with TLS, joined to its swarm; one for the class, removed
    /// at the end with everything it made (its certificates are under its state folder).
    /// </summary>
    public sealed class TlsEngine : IAsyncLifetime
    {
        private readonly string _scratch = Directory.CreateTempSubdirectory("netperf-tls-").FullName;
        private string? _skip;
        private Exception? _failure;
        private NamespacedEngine? _engine;
        private string? _other;

        internal TestcontainersEngine Main { get; } = TestcontainersEngine.FromEnvironment();

        public async ValueTask InitializeAsync()
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(3));
            try
            {
                _skip = await NamespacedEngine.UnavailableReasonAsync(Main.Endpoint, timeout.Token);
                if (_skip is not null) return;
                // One namespaced engine per session: a second node an earlier test left running would take its name.
                await SecondNode.StopAsync();
                _engine = await NamespacedEngine.StartAsync(Main, [], null, timeout.Token, tlsListener: true);
            }
            catch (Exception e)
            {
                _failure = e;
            }
        }

        /// <summary>The engines; skips when a second engine cannot run here, rethrows what went wrong starting it.</summary>
        internal (TestcontainersEngine Main, NamespacedEngine TlsEngine) Require()
        {
            Assert.SkipWhen(_skip is not null, $"no second engine here: {_skip}");
            if (_failure is not null) throw new InvalidOperationException($"the TLS engine did not start: {_failure.Message}", _failure);
            return (Main, _engine!);
        }

        /// <summary>A client folder (ca.pem, cert.pem, key.pem) of a CA the engine does not know.</summary>
        public string OtherAuthority() => _other ??= EngineCertificates.Write(Path.Combine(_scratch, "other"), IPAddress.Parse(_engine!.Address)).Client;

        /// <summary>A folder named <paramref name="name"/> with each file copied from the given folder.</summary>
        public string Compose(string name, params (string File, string From)[] files)
        {
            var dir = Directory.CreateDirectory(Path.Combine(_scratch, name)).FullName;
            foreach (var (file, from) in files) File.Copy(Path.Combine(from, file), Path.Combine(dir, file), overwrite: true);
            return dir;
        }

        public async ValueTask DisposeAsync()
        {
            if (_engine is not null) await _engine.DisposeAsync();
            Main.Dispose();
            Directory.Delete(_scratch, recursive: true);
        }
    }

    /// <summary>The endpoint and the test client certificate of the TLS engine.</summary>
    private static EngineEndpoint ClientOf(NamespacedEngine tlsEngine) =>
        new(tlsEngine.TlsEndpoint, EngineTls.FromFolder(tlsEngine.ClientCertPath!, "test"));

    /// <summary>The TLS engine's client settings, with the tools image copied to it over TLS when it is missing.</summary>
    private static async Task<EngineEndpoint> WithToolsImageAsync(TestcontainersEngine main, NamespacedEngine tlsEngine, CancellationToken ct)
    {
        var settings = ClientOf(tlsEngine);
        using var mainApi = new SwarmApi(main);
        using var api = new SwarmApi(settings);
        if (!await api.HasImageAsync(ToolsImage.Reference, ct)) await mainApi.CopyImageAsync(ToolsImage.Reference, api, ct);
        return settings;
    }
}
