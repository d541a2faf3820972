using System.Runtime.CompilerServices;
using System.Text;
using System.Text.RegularExpressions;
using PublicApiGenerator;

namespace NetPerf.Tests.PublicApi;

/// <summary>
/// The public API of NetPerf.Framework is a committed snapshot (<c>NetPerf.Framework.approved.txt</c> beside this file):
/// a change to what scenario authors can see shows up as a diff to review, never by accident. On a mismatch the test
/// writes <c>NetPerf.Framework.received.txt</c> next to the approved file (git ignores it) and says how to accept it.
/// </summary>
public sealed class PublicApiTests
{
    private const string ApprovedName = "NetPerf.Framework.approved.txt";
    private const string ReceivedName = "NetPerf.Framework.received.txt";

    /// <summary>
    /// The only public types outside namespace <c>NetPerf</c>, each with the reason it is neither internal nor in
    /// <c>NetPerf</c>. Everything a scenario author types lives in <c>NetPerf</c> (STYLE.md), so this list stays short.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string> PublicOutsideNetPerf = new Dictionary<string, string>(StringComparer.Ordinal)
    {
        ["NetPerf.Sdk.DriverTheoryDiscoverer"] =
            "xUnit creates it by reflection from [DriverTheory]'s [XunitTestCaseDiscoverer]; an extensibility type beside the attribute, as xUnit keeps its own out of its root namespace; no author types it",
        ["NetPerf.Sdk.PlanErrorTestCase"] =
            "the test case of an invalid [DriverTheory] plan, which xUnit serializes after discovery and recreates by type name to run; no author types it",
        ["NetPerf.Sdk.TestbedOrderer"] =
            "the test case orderer the package's build files register ([assembly: TestCaseOrderer]); xUnit creates it by reflection; no author types it",
    };

    [Fact]
    public void Public_api_matches_the_approved_file()
    {
        var received = Normalize(typeof(Experiment).Assembly.GeneratePublicApi(new ApiGeneratorOptions
        {
            // Build-specific values (version, commit, repository) would make every build a mismatch.
            ExcludeAttributes =
            [
                "System.Reflection.AssemblyMetadataAttribute",
                "System.Reflection.AssemblyInformationalVersionAttribute",
                "System.Reflection.AssemblyFileVersionAttribute",
                "System.Reflection.AssemblyVersionAttribute",
            ],
        }));
        var directory = SourceDirectory();
        var approvedPath = Path.Combine(directory, ApprovedName);
        var receivedPath = Path.Combine(directory, ReceivedName);
        var approved = File.Exists(approvedPath) ? Normalize(File.ReadAllText(approvedPath)) : null;

        if (approved == received)
        {
            // What an earlier mismatch left behind would only mislead.
            File.Delete(receivedPath);
            return;
        }

        File.WriteAllText(receivedPath, received);
        TestContext.Current.AddAttachment(ReceivedName, received);
        Assert.Fail(MismatchMessage(approved, received, approvedPath, receivedPath));
    }

    [Fact]
    public void Public_types_outside_namespace_NetPerf_are_only_the_listed_ones()
    {
        var outside = typeof(Experiment).Assembly.GetExportedTypes()
            .Where(t => t.Namespace != "NetPerf")
            .Select(t => t.FullName!)
            .Order(StringComparer.Ordinal)
            .ToList();
        var unexpected = outside.Where(name => !PublicOutsideNetPerf.ContainsKey(name)).ToList();
        var stale = PublicOutsideNetPerf.Keys.Where(name => !outside.Contains(name)).Order(StringComparer.Ordinal).ToList();

        var message = new StringBuilder();
        if (unexpected.Count > 0)
        {
            message.AppendLine($"{unexpected.Count} public type(s) of NetPerf.Framework outside namespace 'NetPerf' and not in the allow-list of {nameof(PublicApiTests)}:");
            foreach (var name in unexpected) message.AppendLine($"  '{name}'");
            message.AppendLine("Make each internal (the netperf CLI and these tests see internals), or, when a scenario author needs it, move it into namespace");
            message.AppendLine("NetPerf with a comment saying why its namespace differs from its folder. A type that must stay public elsewhere goes into");
            message.AppendLine($"{nameof(PublicOutsideNetPerf)} in {SourceFile()} with the reason.");
        }
        if (stale.Count > 0)
        {
            message.AppendLine($"{stale.Count} type(s) in the allow-list {nameof(PublicOutsideNetPerf)} are no longer public outside 'NetPerf'; remove them from it:");
            foreach (var name in stale) message.AppendLine($"  '{name}'");
        }
        Assert.True(message.Length == 0, message.ToString());
    }

    [Fact]
    public void Scenarios_and_the_template_need_only_using_NetPerf()
    {
        var root = Path.GetFullPath(Path.Combine(SourceDirectory(), "..", "..", ".."));
        var files = Directory.GetFiles(Path.Combine(root, "src", "NetPerf.Scenarios"), "*.cs")
            .Concat(Directory.GetFiles(Path.Combine(root, "templates"), "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
            .Order(StringComparer.Ordinal)
            .ToList();
        Assert.NotEmpty(files);

        var problems = new List<string>();
        foreach (var file in files)
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var line = lines[i];
                var usingNamespace = Regex.Match(line, @"^\s*(?:global\s+)?using\s+(?:static\s+)?([\w.]+)\s*;");
                if (usingNamespace.Success && usingNamespace.Groups[1].Value is var ns && ns != "NetPerf" && ns != "System" && !ns.StartsWith("System.", StringComparison.Ordinal))
                    problems.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: 'using {ns};'");
                // A sub-namespace spelled out (NetPerf.Workloads.X, Experiments.CellRun) means the type is not where authors look.
                var qualified = Regex.Match(line, @"\b(?:NetPerf\.)?(Baselines|Experiments|Logging|Plan|Reports|Sdk|Statistics|Testbeds|Verdicts|Workloads)\.[A-Z]\w*");
                if (qualified.Success && !line.TrimStart().StartsWith("namespace ", StringComparison.Ordinal) && !line.TrimStart().StartsWith("//", StringComparison.Ordinal))
                    problems.Add($"{Path.GetRelativePath(root, file)}:{i + 1}: '{qualified.Value}'");
            }
        }
        Assert.True(problems.Count == 0,
            "Scenario files must compile with 'using NetPerf;' (and System namespaces) alone, but these name other namespaces:" + Environment.NewLine
            + string.Join(Environment.NewLine, problems.Select(p => "  " + p)) + Environment.NewLine
            + "Move the type the scenario needs into namespace NetPerf (see Public_types_outside_namespace_NetPerf_are_only_the_listed_ones).");
    }

    private static string MismatchMessage(string? approved, string received, string approvedPath, string receivedPath)
    {
        var message = new StringBuilder();
        message.AppendLine(approved is null
            ? "The public API of NetPerf.Framework has no approved file yet."
            : "The public API of NetPerf.Framework differs from the approved file.");
        message.AppendLine($"  approved: {approvedPath}{(approved is null ? " (missing)" : "")}");
        message.AppendLine($"  received: {receivedPath}");
        if (approved is not null)
        {
            var approvedLines = approved.Split('\n');
            var receivedLines = received.Split('\n');
            AppendLines(message, "Only in the approved file (removed from the API):", approvedLines.Except(receivedLines, StringComparer.Ordinal).ToList());
            AppendLines(message, "Only in the received file (added to the API):", receivedLines.Except(approvedLines, StringComparer.Ordinal).ToList());
        }
        message.AppendLine("If the change is intended, accept it by copying the received file over the approved one and review it in git diff:");
        message.AppendLine($"  cp '{receivedPath}' '{approvedPath}' && git diff -- '{approvedPath}'");
        message.AppendLine("If it is not, make the new type or member internal (the netperf CLI and these tests see internals). Author-facing types");
        message.Append("belong in namespace NetPerf.");
        return message.ToString();
    }

    private static void AppendLines(StringBuilder message, string heading, IReadOnlyList<string> lines)
    {
        const int Shown = 20;
        if (lines.Count == 0) return;
        message.AppendLine(heading);
        foreach (var line in lines.Take(Shown)) message.AppendLine("  " + line.Trim());
        if (lines.Count > Shown) message.AppendLine($"  ... and {lines.Count - Shown} more lines");
    }

    // One line ending and one final newline, whatever git or the generator did with them.
    private static string Normalize(string text) => text.Replace("\r\n", "\n", StringComparison.Ordinal).TrimEnd('\n') + "\n";

    // The approved file sits beside this source file, not the build output, so that accepting a change edits the committed file.
    private static string SourceDirectory() => Path.GetDirectoryName(SourceFile())!;

    private static string SourceFile([CallerFilePath] string path = "") => path;
}
