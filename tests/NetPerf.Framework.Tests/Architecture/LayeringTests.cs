using System.Text.RegularExpressions;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Architecture;

/// <summary>
/// The layers of STYLE.md, checked on the source of src/NetPerf.Framework: each folder imports (by a using directive or
/// a fully qualified name) only namespaces of the layers below it, never one above, never xUnit below the top layer,
/// and never the engine client (Docker.DotNet, Testcontainers) in the layers that must be testable on canned output.
/// </summary>
/// <remarks>
/// Public types live in namespace <c>NetPerf</c> whatever their folder, so a using check cannot see them; for the
/// testbed layer a second check looks for the names of the types declared under Workloads/ as well.
/// </remarks>
public sealed partial class LayeringTests
{
    private static readonly string[] EngineClient = ["Docker.DotNet", "DotNet.Testcontainers"];
    private static readonly string[] TestFramework = ["Xunit"];

    // Above the workloads (layer 3): testbeds and the engine client (4), the plan and the runner (5), attributes' SDK and reports (6).
    private static readonly string[] AboveWorkloads =
        ["NetPerf.Testbeds", "NetPerf.Plan", "NetPerf.Experiments", "NetPerf.Verdicts", "NetPerf.Reports", "NetPerf.Sdk", .. TestFramework, .. EngineClient];

    /// <summary>Per folder of src/NetPerf.Framework: the namespaces its files must not import, and the layer rule that says so.</summary>
    internal static readonly IReadOnlyList<Rule> Rules =
    [
        new("Nodes", "the model (layer 1) knows no other layer, no engine and no xUnit",
            ["NetPerf.Statistics", "NetPerf.Baselines", "NetPerf.Logging", "NetPerf.Workloads", .. AboveWorkloads]),
        new("Metrics", "the model (layer 1) knows no other layer, no engine and no xUnit",
            ["NetPerf.Statistics", "NetPerf.Baselines", "NetPerf.Logging", "NetPerf.Workloads", .. AboveWorkloads]),
        new("Statistics", "statistics (layer 2) know the model only",
            ["NetPerf.Workloads", .. AboveWorkloads]),
        new("Baselines", "baselines (layer 2) know the model and statistics only",
            ["NetPerf.Workloads", .. AboveWorkloads]),
        new("Verdicts", "verdicts compare samples with statistics; they know neither workloads, testbeds, the runner nor xUnit",
            ["NetPerf.Workloads", .. AboveWorkloads]),
        new("Workloads", "workloads (layer 3) talk to IWorkloadHost, never to testbeds, the engine client, the runner, reports or xUnit",
            AboveWorkloads),
        new("Testbeds", "testbeds (layer 4) know nothing of workloads' internals, statistics, baselines, verdicts, the runner or xUnit",
            ["NetPerf.Workloads", "NetPerf.Statistics", "NetPerf.Baselines", "NetPerf.Verdicts", "NetPerf.Plan", "NetPerf.Experiments", "NetPerf.Reports", "NetPerf.Sdk", .. TestFramework]),
        new("Experiments", "the runner (layer 5) does not depend on the xUnit glue and reports above it",
            ["NetPerf.Reports", "NetPerf.Sdk", .. TestFramework]),
    ];

    /// <summary>
    /// The files under Testbeds/ that may name a type declared under Workloads/: the testbed and its view are what a
    /// workload runs on, so they implement <see cref="IWorkloadHost"/> (the port the workloads define), and nothing else.
    /// </summary>
    private static readonly IReadOnlyDictionary<string, string[]> WorkloadTypesAllowedInTestbeds = new Dictionary<string, string[]>(StringComparer.Ordinal)
    {
        ["Testbeds/Testbed.cs"] = [nameof(IWorkloadHost)],
        ["Testbeds/TestbedView.cs"] = [nameof(IWorkloadHost)],
    };

    public static TheoryData<string> Folders()
    {
        var folders = new TheoryData<string>();
        foreach (var rule in Rules) folders.Add(rule.Folder);
        return folders;
    }

    [Theory]
    [MemberData(nameof(Folders))]
    public void A_folder_imports_no_namespace_of_a_layer_above_it(string folder)
    {
        var rule = Rules.Single(r => r.Folder == folder);
        var root = FrameworkSource();
        var files = SourceFiles(Path.Combine(root, folder));
        // A renamed folder would make this test pass on nothing.
        Assert.True(files.Count > 0, $"No .cs files under '{Path.Combine(root, folder)}'; update {nameof(Rules)} in {nameof(LayeringTests)} to the folder's new name.");

        var problems = files.SelectMany(f => Violations(Path.GetRelativePath(root, f), File.ReadAllLines(f), rule)).ToList();

        Assert.True(problems.Count == 0, Message(rule, problems));
    }

    [Fact]
    public void No_file_under_Testbeds_imports_a_Workloads_namespace()
    {
        var root = FrameworkSource();
        var problems = SourceFiles(Path.Combine(root, "Testbeds"))
            .SelectMany(f => File.ReadAllLines(f).Select((line, i) => (File: Path.GetRelativePath(root, f), Line: i + 1, Text: line.Trim())))
            .Where(l => UsingDirective().Match(l.Text) is { Success: true } m && IsIn(m.Groups["name"].Value, "NetPerf.Workloads"))
            .Select(l => $"  {l.File}:{l.Line}: '{l.Text}'")
            .ToList();

        Assert.True(problems.Count == 0,
            "Testbeds/ is below the workloads' internals; these files import a Workloads namespace:" + Environment.NewLine
            + string.Join(Environment.NewLine, problems) + Environment.NewLine
            + "Move the record they need down to Nodes/ (as CommandResult, CpuSnapshot, Node and Pair are) or pass it in from the runner.");
    }

    [Fact]
    public void Testbeds_name_no_type_declared_under_Workloads_except_the_host_port_they_implement()
    {
        var root = FrameworkSource();
        var workloadTypes = SourceFiles(Path.Combine(root, "Workloads"))
            .SelectMany(f => TypeDeclaration().Matches(File.ReadAllText(f)).Select(m => m.Groups["name"].Value))
            .ToHashSet(StringComparer.Ordinal);
        // Proof that the declarations were found: a public and an internal type of the workloads.
        var notFound = new[] { nameof(IWorkloadHost), "Iperf3Parser" }.Where(n => !workloadTypes.Contains(n)).ToList();
        Assert.True(notFound.Count == 0,
            $"The type declarations under Workloads/ were not found: {string.Join(", ", notFound)} missing among {workloadTypes.Count}: {string.Join(", ", workloadTypes.Order(StringComparer.Ordinal))}.");

        var problems = new List<string>();
        foreach (var file in SourceFiles(Path.Combine(root, "Testbeds")))
        {
            var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
            var allowed = WorkloadTypesAllowedInTestbeds.GetValueOrDefault(relative) ?? [];
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var code = CodeOf(lines[i]);
                foreach (Match word in Identifier().Matches(code))
                {
                    if (workloadTypes.Contains(word.Value) && !allowed.Contains(word.Value))
                        problems.Add($"  {relative}:{i + 1}: '{word.Value}' in '{lines[i].Trim()}'");
                }
            }
        }

        Assert.True(problems.Count == 0,
            "The testbed layer (engine client, host commands, drivers) must not know the workloads, but these lines name types declared under Workloads/:" + Environment.NewLine
            + string.Join(Environment.NewLine, problems) + Environment.NewLine
            + "Move a record both layers need down to Nodes/; a testbed offers workloads only what IWorkloadHost declares.");
    }

    [Fact]
    public void The_check_reports_a_forbidden_using_a_fully_qualified_name_and_an_alias_with_file_and_line()
    {
        var rule = Rules.Single(r => r.Folder == "Testbeds");
        string[] source =
        [
            "using System.Globalization;",
            "using NetPerf.Workloads.Orchestration;",
            "using Report = NetPerf.Reports.MarkdownSummary;",
            "using NetPerf.Testbeds.Engine;",
            "namespace NetPerf.Testbeds;",
            "// NetPerf.Workloads.Shell in a comment is fine",
            "internal static class Sample",
            "{",
            "    private static string Name => \"Xunit.Assert in a string is fine\";",
            "    private static object Run() => global::Xunit.Assert.Fail(\"no\");",
            "    private static void Fine()",
            "    {",
            "        using var x = Open();",
            "    }",
            "}",
        ];

        var problems = Violations("Testbeds/Sample.cs", source, rule).ToList();

        Assert.Equal(
            [
                "  Testbeds/Sample.cs:2: 'using NetPerf.Workloads.Orchestration;'",
                "  Testbeds/Sample.cs:3: 'using Report = NetPerf.Reports.MarkdownSummary;'",
                "  Testbeds/Sample.cs:10: 'Xunit.Assert.Fail' in 'private static object Run() => global::Xunit.Assert.Fail(\"no\");'",
            ],
            problems);
        Assert.Contains("Testbeds/Sample.cs:2: 'using NetPerf.Workloads.Orchestration;'", Message(rule, problems), StringComparison.Ordinal);
    }

    /// <summary>The lines of one file that import a namespace the rule forbids, each as <c>  file:line: 'text'</c>.</summary>
    internal static IEnumerable<string> Violations(string file, IReadOnlyList<string> lines, Rule rule)
    {
        for (var i = 0; i < lines.Count; i++)
        {
            var text = lines[i].Trim();
            var directive = UsingDirective().Match(text);
            if (directive.Success)
            {
                if (rule.Forbidden.Any(f => IsIn(directive.Groups["name"].Value, f))) yield return $"  {file}:{i + 1}: '{text}'";
                continue;
            }

            if (text.StartsWith("namespace ", StringComparison.Ordinal)) continue;
            foreach (Match name in QualifiedName().Matches(CodeOf(lines[i])))
            {
                if (rule.Forbidden.Any(f => IsIn(name.Groups["name"].Value, f))) yield return $"  {file}:{i + 1}: '{name.Groups["name"].Value}' in '{text}'";
            }
        }
    }

    private static string Message(Rule rule, IReadOnlyList<string> problems) =>
        $"Files under src/NetPerf.Framework/{rule.Folder} import what their layer must not know ({rule.Why}; STYLE.md, 'Layers'):" + Environment.NewLine
        + string.Join(Environment.NewLine, problems) + Environment.NewLine
        + $"Forbidden there: {string.Join(", ", rule.Forbidden.Select(f => $"'{f}'"))}. Move the type the file needs down to the layer that owns it"
        + " (records shared by testbeds and workloads go to Nodes/), or move the file up to the layer it belongs to.";

    // The namespace itself or one inside it: 'NetPerf.Workloads' covers 'NetPerf.Workloads.Iperf3' but not 'NetPerf.WorkloadsX'.
    private static bool IsIn(string name, string forbidden) =>
        name == forbidden || name.StartsWith(forbidden + ".", StringComparison.Ordinal);

    // A line without its comment and with its string literals emptied: names in prose or messages are not dependencies.
    private static string CodeOf(string line)
    {
        if (line.TrimStart().StartsWith("//", StringComparison.Ordinal)) return "";
        var code = StringLiteral().Replace(line, "\"\"");
        var comment = code.IndexOf("//", StringComparison.Ordinal);
        return comment < 0 ? code : code[..comment];
    }

    private static string FrameworkSource() => Path.Combine(TestbedUnitTests.RepositoryRoot(), "src", "NetPerf.Framework");

    private static List<string> SourceFiles(string directory) =>
        !Directory.Exists(directory)
            ? []
            : [.. Directory.GetFiles(directory, "*.cs", SearchOption.AllDirectories)
                .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                    && !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal))
                .Order(StringComparer.Ordinal)];

    // using X; using static X; using A = X; (not 'using var x = ...;' nor 'using (...)').
    [GeneratedRegex(@"^(?:global\s+)?using\s+(?:static\s+)?(?:\w+\s*=\s*)?(?<name>[A-Za-z_][\w.]*)\s*;")]
    private static partial Regex UsingDirective();

    [GeneratedRegex(@"(?<![\w.])(?:global::)?(?<name>(?:NetPerf|Xunit|Docker|DotNet)(?:\.\w+)+)")]
    private static partial Regex QualifiedName();

    [GeneratedRegex(@"^(?:public|internal)\s+(?:(?:sealed|static|abstract|readonly|partial|record)\s+)*(?:class|record|interface|struct|enum)\s+(?<name>\w+)", RegexOptions.Multiline)]
    private static partial Regex TypeDeclaration();

    [GeneratedRegex(@"\b[A-Za-z_]\w*\b")]
    private static partial Regex Identifier();

    [GeneratedRegex(@"""(?:[^""\\]|\\.)*""")]
    private static partial Regex StringLiteral();

    /// <summary>One folder's rule: the namespaces it must not import, and why (the layer it is in).</summary>
    internal sealed record Rule(string Folder, string Why, IReadOnlyList<string> Forbidden);
}
