using System.Security.Cryptography;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Tests.Engine;

/// <summary>
/// A labelled bridge network with two idle containers on the real engine, shared by the integration
/// tests of <see cref="TestcontainersEngineIntegrationTests"/> and removed afterwards.
/// </summary>
public sealed class EngineIntegrationFixture : IAsyncLifetime
{
    internal TestcontainersEngine Engine { get; } = TestcontainersEngine.FromEnvironment();

    /// <summary>Labels every resource of this test run, so a test can find exactly its own.</summary>
    public string Session { get; } = Guid.NewGuid().ToString("N")[..12];

    public string SessionLabel => $"netperf.session={Session}";

    public string Image { get; } = ToolsImageTag();

    public string NetworkName => $"np-test-{Session}";

    public string Subnet { get; private set; } = "";

    public string ServerAddress { get; private set; } = "";

    public string NetworkId { get; private set; } = "";

    public string ServerId { get; private set; } = "";

    public string ClientId { get; private set; } = "";

    public ContainerBuilder Container => new ContainerBuilder()
        .WithImage(Image)
        .WithCommand("sleep", "infinity")
        .WithLabel("netperf", "1")
        .WithLabel("netperf.session", Session);

    /// <summary>The tools image tag, derived from the recipe exactly as scripts/build-image.sh derives it.</summary>
    public static string ToolsImageTag()
    {
        using var all = new MemoryStream();
        foreach (string resource in new[] { "NetPerf.image.packages.txt", "NetPerf.image.Dockerfile" })
        {
            using Stream stream = typeof(TestcontainersEngine).Assembly.GetManifestResourceStream(resource)
                ?? throw new InvalidOperationException($"Embedded resource '{resource}' is missing from NetPerf.Framework.");
            stream.CopyTo(all);
        }

        return "netperf-tools:" + Convert.ToHexStringLower(SHA256.HashData(all.ToArray()))[..12];
    }

    public async ValueTask InitializeAsync()
    {
        CancellationToken token = TestContext.Current.CancellationToken;
        if (!await Engine.ImageExistsAsync(Image, token))
        {
            throw new InvalidOperationException($"The tools image '{Image}' is missing from the engine at '{Engine.Endpoint}'; run scripts/build-image.sh.");
        }

        // A random /24 keeps parallel runs on one engine from asking for the same pool.
        Subnet = $"10.{Random.Shared.Next(200, 250)}.{Random.Shared.Next(0, 256)}.0/24";
        string prefix = Subnet[..Subnet.LastIndexOf('.')];
        ServerAddress = prefix + ".10";
        NetworkSpec network = new NetworkBuilder()
            .WithName(NetworkName).WithSubnet(Subnet, prefix + ".1").WithLabel("netperf", "1").WithLabel("netperf.session", Session).Build();
        try
        {
            NetworkId = await Engine.CreateNetworkAsync(network, token);
            var started = await Task.WhenAll(
                Engine.RunContainerAsync(Container.WithName($"np-test-{Session}-s").WithNetwork(NetworkName, ServerAddress).Build(), token),
                Engine.RunContainerAsync(Container.WithName($"np-test-{Session}-c").WithNetwork(NetworkName).Build(), token));
            (ServerId, ClientId) = (started[0], started[1]);
        }
        catch
        {
            // A half-built fixture is not disposed by every runner: clean up here, then report the real cause.
            await RemoveSessionResourcesAsync();
            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await RemoveSessionResourcesAsync();
        }
        finally
        {
            Engine.Dispose();
        }
    }

    private async Task RemoveSessionResourcesAsync()
    {
        try
        {
            // Remove by label, so containers a failed test left behind go too.
            foreach (ContainerSummary container in await Engine.ListContainersAsync(SessionLabel))
            {
                await Engine.RemoveContainerAsync(container.Id);
            }
        }
        finally
        {
            await Engine.RemoveNetworkAsync(NetworkName);
        }
    }
}
