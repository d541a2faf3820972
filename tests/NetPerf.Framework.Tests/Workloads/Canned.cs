namespace NetPerf.Tests.Workloads;

/// <summary>Reads tool output captured from the real tools (see Canned/README.md).</summary>
internal static class Canned
{
    public static string Read(string relativePath) => File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Canned", relativePath));
}
