using System.Security.Cryptography;

namespace NetPerf.Testbeds;

/// <summary>
/// The tools image every container runs. Its tag is a hash of the recipe (image/packages.txt and
/// image/Dockerfile, embedded in this assembly), computed exactly as scripts/build-image.sh does, so a
/// changed recipe means a new tag and a rebuild by setup.
/// </summary>
internal static class ToolsImage
{
    /// <summary>Environment variable that overrides the image reference.</summary>
    public const string EnvironmentVariable = "NETPERF_IMAGE";

    /// <summary>The image to use: <c>$NETPERF_IMAGE</c>, else <c>netperf-tools:{recipe hash}</c>.</summary>
    public static string Reference =>
        Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } image ? image : $"netperf-tools:{RecipeHash}";

    /// <summary>The first 12 hex digits of sha256(packages.txt + Dockerfile).</summary>
    public static string RecipeHash { get; } = ComputeHash();

    private static string ComputeHash()
    {
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        foreach (var name in new[] { "NetPerf.image.packages.txt", "NetPerf.image.Dockerfile" })
        {
            using var stream = typeof(ToolsImage).Assembly.GetManifestResourceStream(name)
                ?? throw new InvalidOperationException($"Embedded resource '{name}' is missing from NetPerf.Framework; rebuild the project.");
            using var ms = new MemoryStream();
            stream.CopyTo(ms);
            sha.AppendData(ms.ToArray());
        }
        return Convert.ToHexString(sha.GetHashAndReset())[..12].ToLowerInvariant();
    }
}
