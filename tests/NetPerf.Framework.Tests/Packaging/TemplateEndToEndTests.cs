using System.Diagnostics;
using System.Globalization;
using System.IO.Compression;
using System.Text.Json;
using System.Text.RegularExpressions;
using NetPerf.Reports;
using NetPerf.Testbeds;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Packaging;

/// <summary>
/// What a user of the packages does, from a clean temporary directory: pack NetPerf and NetPerf.Templates into a local
/// folder, <c>dotnet new netperf</c>, restore NetPerf from that folder only, get the tools image through the package's
/// <c>NetPerfBuildImages</c> target, and run the sample scenario with <c>dotnet test</c> on the real engine.
/// </summary>
/// <remarks>
/// Each run packs a version of its own (<c>0.0.0-e2e.*</c>), so NuGet's global packages folder cannot serve an older pack
/// of the same version; the test removes that version from it afterwards. Templates go to a private template hive, so
/// the user's installed templates stay as they were. Third-party packages (xunit.v3, Testcontainers, ...) come from the
/// machine's configured NuGet sources; a package source mapping sends NetPerf* to the local folder alone.
/// </remarks>
[Trait("Category", "Integration")]
public sealed partial class TemplateEndToEndTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("netperf-template-").FullName;
    private readonly string _version = $"0.0.0-e2e.{DateTime.UtcNow:yyyyMMddHHmmss}.{Guid.NewGuid().ToString("N")[..6]}";
    private string? _restoredPackage;

    public void Dispose()
    {
        Directory.Delete(_root, recursive: true);
        if (_restoredPackage is not null && Directory.Exists(_restoredPackage)) Directory.Delete(_restoredPackage, recursive: true);
    }

    [Fact]
    public async Task Packed_template_project_restores_from_the_pack_folder_and_its_sample_scenario_passes_on_the_engine()
    {
        var availability = CapabilityCheckRegistry.Default.Check(Driver.Bridge);
        Assert.SkipUnless(availability.Available, availability.Reason);
        var repository = TestbedUnitTests.RepositoryRoot();
        var packages = Path.Combine(_root, "packages");
        var artifacts = Path.Combine(_root, "artifacts");

        // 1. Pack both into a local folder, building apart from the repository's own bin/ and obj/.
        foreach (var packed in new[] { "src/NetPerf.Framework/NetPerf.Framework.csproj", "templates/NetPerf.Templates/NetPerf.Templates.csproj" })
            await DotnetAsync(repository, TimeSpan.FromMinutes(5), "pack", Path.Combine(repository, packed), "-c", "Release", "-o", packages, "--artifacts-path", artifacts, $"-p:Version={_version}");
        var framework = Path.Combine(packages, $"NetPerf.{_version}.nupkg");
        var templates = Path.Combine(packages, $"NetPerf.Templates.{_version}.nupkg");
        AssertEntries(framework, "lib/net10.0/NetPerf.Framework.dll", "lib/net10.0/NetPerf.Framework.xml",
            "buildTransitive/NetPerf.props", "buildTransitive/NetPerf.targets", "buildTransitive/xunit.runner.json",
            "image/build-image.sh", "image/packages.txt", "image/Dockerfile",
            "image/http/packages.txt", "image/http/Dockerfile", "image/http/default.conf", "image/http/prepare-rootfs.sh");
        // The packed recipe is the one the framework hashes: the image the package builds is the image it looks for.
        Assert.Equal(File.ReadAllText(Path.Combine(repository, "image", "packages.txt")), Entry(framework, "image/packages.txt"));
        AssertEntries(templates, "content/netperf/.template.config/template.json", "content/netperf/global.json",
            "content/netperf/MyScenarios.csproj", "content/netperf/SampleScenarios.cs", "content/netperf/README.md",
            "content/netperf/baselines/README.md", "content/netperf/.gitignore");

        // 2. Create the project from the template, in a template hive of this test's own.
        var hive = Path.Combine(_root, "template-hive");
        var work = Path.Combine(_root, "work");
        var project = Path.Combine(work, "MyScenarios");
        await DotnetAsync(_root, TimeSpan.FromMinutes(2), "new", "install", templates, "--debug:custom-hive", hive);
        await DotnetAsync(_root, TimeSpan.FromMinutes(2), "new", "netperf", "-n", "MyScenarios", "-o", project, "--no-update-check", "--debug:custom-hive", hive);
        Assert.Contains("\"Microsoft.Testing.Platform\"", File.ReadAllText(Path.Combine(project, "global.json")));
        Assert.True(Directory.Exists(Path.Combine(project, "baselines")), "the template made no baselines/ folder");
        Assert.True(File.Exists(Path.Combine(project, "README.md")), "the template made no README.md");
        var csproj = File.ReadAllText(Path.Combine(project, "MyScenarios.csproj"));
        Assert.Contains($"<PackageReference Include=\"NetPerf\" Version=\"{_version}\" />", csproj);
        Assert.DoesNotContain("PACKAGE_VERSION", csproj);
        Assert.Contains("[DriverTheory(Driver.Bridge)]", File.ReadAllText(Path.Combine(project, "SampleScenarios.cs")));

        // 3. Restore: NetPerf from the pack folder only, everything else from the configured sources.
        WriteNugetConfig(work, packages, await ConfiguredSourcesAsync());
        await DotnetAsync(project, TimeSpan.FromMinutes(5), "restore");
        _restoredPackage = Path.Combine(await GlobalPackagesFolderAsync(), "netperf", _version);
        var metadata = JsonDocument.Parse(File.ReadAllText(Path.Combine(_restoredPackage, ".nupkg.metadata")));
        Assert.Equal(Path.TrimEndingDirectorySeparator(packages), Path.TrimEndingDirectorySeparator(metadata.RootElement.GetProperty("source").GetString()!));

        // 4. The package's NetPerfBuildImages target builds (here: finds, as scripts/setup.sh built it from the same recipe)
        // the tools image this framework looks for.
        var images = await DotnetAsync(project, TimeSpan.FromMinutes(10), "build", "-t:NetPerfBuildImages");
        Assert.Contains($"netperf-tools:{ToolsImage.RecipeHash}", images.Stdout);

        // 5. Run the sample scenario on the engine: the first run on this (empty) baselines folder records the cell.
        var test = await DotnetAsync(project, TimeSpan.FromMinutes(8), "test", "--results-directory", Path.Combine(_root, "test-results"));
        var output = test.Stdout + test.Stderr;
        TestContext.Current.TestOutputHelper?.WriteLine(output);
        Assert.True(SummaryCount(output, "succeeded") == 1 && SummaryCount(output, "failed") == 0, $"expected 1 test passed and none failed:\n{output}");
        // The package's NetPerf.props turns tiered compilation off in the user's project: no background recompilation
        // beside the tools (docs/fidelity.md).
        var runtimeConfig = Directory.GetFiles(Path.Combine(project, "bin"), "MyScenarios.runtimeconfig.json", SearchOption.AllDirectories);
        Assert.NotEmpty(runtimeConfig);
        Assert.False(JsonDocument.Parse(File.ReadAllText(runtimeConfig[0])).RootElement.GetProperty("runtimeOptions").GetProperty("configProperties").GetProperty("System.Runtime.TieredCompilation").GetBoolean());
        var cell = Assert.Single(CellResultReader.ReadDirectory(Path.Combine(project, "results", "scenarios")).Cells);
        Assert.Equal("SampleScenarios.Tcp_throughput", cell.Scenario);
        Assert.Equal("Bridge", cell.Driver);
        Assert.Equal("Provisional", cell.Outcome);
        var throughput = Assert.Single(cell.Metrics, m => m.Metric == Metrics.AggregateThroughput.Name);
        Assert.True(throughput.CurrentValues.Count >= 3 && throughput.CurrentValues.All(v => v > 0), $"throughput trials: {string.Join(", ", throughput.CurrentValues)}");
        Assert.NotNull(cell.BaselinePath);
        Assert.StartsWith(Path.Combine(project, "baselines") + Path.DirectorySeparatorChar, cell.BaselinePath);
        Assert.True(File.Exists(cell.BaselinePath), cell.BaselinePath);
    }

    private static void AssertEntries(string package, params string[] expected)
    {
        Assert.True(File.Exists(package), $"'{package}' was not packed");
        using var zip = ZipFile.OpenRead(package);
        var names = zip.Entries.Select(e => e.FullName).ToHashSet(StringComparer.Ordinal);
        var missing = expected.Where(e => !names.Contains(e)).ToList();
        Assert.True(missing.Count == 0, $"'{Path.GetFileName(package)}' lacks {string.Join(", ", missing)}; it holds {string.Join(", ", names.Order(StringComparer.Ordinal))}");
    }

    private static string Entry(string package, string name)
    {
        using var zip = ZipFile.OpenRead(package);
        using var reader = new StreamReader(zip.GetEntry(name)!.Open());
        return reader.ReadToEnd();
    }

    private static void WriteNugetConfig(string directory, string packages, IReadOnlyList<string> sources)
    {
        var adds = string.Concat(sources.Select((s, i) => $"\n    <add key=\"configured-{i}\" value=\"{s}\" />"));
        var maps = string.Concat(sources.Select((_, i) => $"\n    <packageSource key=\"configured-{i}\"><package pattern=\"*\" /></packageSource>"));
        File.WriteAllText(Path.Combine(directory, "nuget.config"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <configuration>
              <packageSources>
                <clear />
                <add key="netperf-local" value="{packages}" />{adds}
              </packageSources>
              <packageSourceMapping>
                <packageSource key="netperf-local"><package pattern="NetPerf" /><package pattern="NetPerf.*" /></packageSource>{maps}
              </packageSourceMapping>
            </configuration>
            """);
    }

    /// <summary>The enabled sources of <c>dotnet nuget list source --format short</c> (lines such as <c>E https://...</c>).</summary>
    private async Task<IReadOnlyList<string>> ConfiguredSourcesAsync()
    {
        var list = await DotnetAsync(_root, TimeSpan.FromMinutes(1), "nuget", "list", "source", "--format", "short");
        var sources = list.Stdout.Split('\n', StringSplitOptions.TrimEntries)
            .Where(l => l.StartsWith("E ", StringComparison.Ordinal)).Select(l => l[2..].Trim()).ToList();
        Assert.True(sources.Count > 0, $"no enabled NuGet source is configured; 'dotnet nuget list source' said: {list.Stdout}");
        return sources;
    }

    private async Task<string> GlobalPackagesFolderAsync()
    {
        var locals = await DotnetAsync(_root, TimeSpan.FromMinutes(1), "nuget", "locals", "global-packages", "--list");
        var match = GlobalPackagesLine().Match(locals.Stdout);
        Assert.True(match.Success, $"'dotnet nuget locals global-packages --list' said: {locals.Stdout}");
        return match.Groups[1].Value.Trim();
    }

    /// <summary>A count of the test platform's summary (<c>  succeeded: 1</c>), as scripts/dotnet-test.sh reads it.</summary>
    private static int? SummaryCount(string output, string name) =>
        SummaryLine().Matches(output).LastOrDefault(m => m.Groups[1].Value == name) is { } m ? int.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture) : null;

    /// <summary>Runs the dotnet CLI and fails the test with its output when it exits non-zero.</summary>
    /// <remarks>
    /// The child gets this process's environment without what belongs to this test run: NETPERF_* settings (except the
    /// image overrides; they name images that exist here) and CI would redirect or change the sample's run, and the test
    /// platform's, MSBuild's and the coverage profiler's variables would reach into the child's build and test host. Build
    /// servers are off, so nothing started here outlives the test, and TMPDIR is a folder of this test, so nothing it
    /// writes there does either.
    /// </remarks>
    private async Task<CommandResult> DotnetAsync(string workingDirectory, TimeSpan timeout, params string[] args)
    {
        var psi = new ProcessStartInfo("dotnet") { WorkingDirectory = workingDirectory, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in args) psi.ArgumentList.Add(a);
        foreach (var name in psi.Environment.Keys.Where(InheritedByTheTestRun).ToList()) psi.Environment.Remove(name);
        psi.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        psi.Environment["DOTNET_NOLOGO"] = "1";
        psi.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        psi.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        psi.Environment["UseSharedCompilation"] = "false";
        // What the children write to the temporary folder (xUnit puts the test's attachments there) stays in this test's folder.
        psi.Environment["TMPDIR"] = Directory.CreateDirectory(Path.Combine(_root, "tmp")).FullName;

        var command = "dotnet " + string.Join(' ', args);
        var watch = Stopwatch.StartNew();
        using var process = Process.Start(psi)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        cts.CancelAfter(timeout);
        try
        {
            await process.WaitForExitAsync(cts.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"'{command}' in {workingDirectory} did not finish within {timeout.TotalMinutes} min.");
        }
        var result = new CommandResult(process.ExitCode, await stdout, await stderr, watch.Elapsed);
        TestContext.Current.TestOutputHelper?.WriteLine($"{command}: exit {result.ExitCode} after {result.Elapsed.TotalSeconds:0.0} s");
        Assert.True(result.Succeeded, $"'{command}' in {workingDirectory} failed with exit code {result.ExitCode}:\n{result.Stdout}\n{result.Stderr}");
        return result;
    }

    private static bool InheritedByTheTestRun(string name) =>
        (name.StartsWith("NETPERF_", StringComparison.Ordinal) && name is not (ToolsImage.EnvironmentVariable or HttpImage.EnvironmentVariable))
        || name == "CI"
        || name.StartsWith("MSBUILD", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("TESTINGPLATFORM_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("VSTEST_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("DOTNET_TEST", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CORECLR_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("COR_", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("MicrosoftInstrumentationEngine", StringComparison.OrdinalIgnoreCase)
        || name.StartsWith("CODE_COVERAGE", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"^\s+(total|failed|succeeded|skipped): (\d+)", RegexOptions.Multiline)]
    private static partial Regex SummaryLine();

    [GeneratedRegex(@"global-packages:\s*(.+)")]
    private static partial Regex GlobalPackagesLine();
}
