using System.Security.Cryptography;

// Author-facing, so in namespace NetPerf rather than NetPerf.Workloads.Http (its folder): `using NetPerf;` is all a scenario needs.
namespace NetPerf;

/// <summary>
/// NetPerf's HTTP application image: nginx serving <c>/1k.bin</c> and <c>/64k.bin</c> (1 KiB and 64 KiB bodies) on
/// port 80, plus wrk to load it, bash, iproute2 and procps. Its tag is a hash of the recipe in <c>image/http</c>
/// (packages.txt, Dockerfile, default.conf and prepare-rootfs.sh, embedded in this assembly), computed exactly as
/// <c>scripts/build-image.sh http</c> does, so a changed recipe means a new tag and a rebuild by setup.
/// </summary>
/// <remarks>
/// Use it for the servers and clients of <see cref="Workload.Wrk"/> through an <c>OwnContainer</c>. The site
/// is installed at <see cref="SiteConfig"/>; to listen on the pair's port instead of 80 (needed with host networking,
/// where all servers share one network namespace), rewrite its <c>listen</c> line before starting nginx, as
/// <see cref="ServerScript"/> does (it also gives nginx one worker).
/// </remarks>
/// <example><code>
/// Experiment.ForCurrentCell()
///     .WithServers(new OwnContainer(HttpImage.Reference).WithCommand("sh", "-c", HttpImage.ServerScript).WaitUntilPortIsListening())
///     .WithClients(new OwnContainer(HttpImage.Reference).WithCommand("sleep", "infinity"))
///     .Run(Workload.Wrk())
/// </code></example>
public static class HttpImage
{
    /// <summary>Environment variable that overrides the image reference (e.g. <c>netperf-http:local</c> built with the Dockerfile).</summary>
    public const string EnvironmentVariable = "NETPERF_HTTP_IMAGE";

    /// <summary>Where image/http/prepare-rootfs.sh installs default.conf, the image's only nginx site.</summary>
    public const string SiteConfig = "/etc/nginx/sites-available/default";

    /// <summary>The recipe files, in the order scripts/build-image.sh hashes them.</summary>
    public static IReadOnlyList<string> RecipeFiles { get; } = ["packages.txt", "Dockerfile", "default.conf", "prepare-rootfs.sh"];

    /// <summary>nginx's main configuration in the image (Debian's), whose <c>worker_processes auto;</c> <see cref="ServerScript"/> sets to 1.</summary>
    public const string MainConfig = "/etc/nginx/nginx.conf";

    /// <summary>
    /// A server script for <c>sh -c</c>: moves nginx from port 80 to <c>$NETPERF_PORT</c> (the pair's port NetPerf sets in
    /// every own container), gives it one worker process, and runs it in the foreground as the image's own CMD does.
    /// A configuration that could not be changed stops the container with a message in <c>docker logs</c> rather than
    /// serving on port 80.
    /// </summary>
    /// <remarks>
    /// One worker per pair's server, as the tools' servers are one process per pair: nginx's <c>auto</c> counts the
    /// machine's cores, not the container's cpuset, so a server pinned to one core of 2 got 2 workers taking turns on it,
    /// and trials fell into two latency modes (p50 about 110 us or about 200 us on a bridge here) by how the connections
    /// happened to split between the workers.
    /// </remarks>
    public const string ServerScript =
        "sed -i \"s/listen 80 default_server/listen $NETPERF_PORT default_server/\" " + SiteConfig + " && "
        + "sed -i \"s/^worker_processes auto;/worker_processes 1;/\" " + MainConfig + " && "
        + "{ { grep -q \"listen $NETPERF_PORT default_server\" " + SiteConfig + " && grep -q \"^worker_processes 1;\" " + MainConfig + "; } "
        + "|| { echo \"netperf: could not move nginx to port $NETPERF_PORT with one worker: " + SiteConfig + " needs 'listen 80 default_server' and " + MainConfig + " 'worker_processes auto;'\" >&2; exit 1; }; } && "
        + "exec nginx -g 'daemon off;'";

    /// <summary>The image to use: <c>$NETPERF_HTTP_IMAGE</c>, else <c>netperf-http:{recipe hash}</c>.</summary>
    public static string Reference =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } image ? image : $"netperf-http:{RecipeHash}";

    /// <summary>The first 12 hex digits of sha256(packages.txt + Dockerfile + default.conf + prepare-rootfs.sh).</summary>
    public static string RecipeHash { get; } = ComputeHash();

    private static string ComputeHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var file in RecipeFiles)
        {
            var name = "NetPerf.image.http." + file;
            using var stream = typeof(HttpImage).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from NetPerf.Framework; rebuild the project.");
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            sha.AppendData(ms.ToArray());
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..12].ToLowerInvariant();
    }
}
