using System.Security.Cryptography;
using System.Text.RegularExpressions;
using NetPerf.Tests.Testbeds;

namespace NetPerf.Tests.Workloads;

public partial class HttpImageTests
{
    private static readonly string Root = TestbedUnitTests.RepositoryRoot();

    [Fact]
    public void Tag_is_the_hash_the_build_script_computes_from_the_recipe_files()
    {
        // scripts/build-image.sh http: cat packages.txt Dockerfile default.conf prepare-rootfs.sh | sha256sum | cut -c1-12
        var bytes = HttpImage.RecipeFiles.SelectMany(f => File.ReadAllBytes(Path.Combine(Root, "image", "http", f))).ToArray();
        var expected = Convert.ToHexStringLower(SHA256.HashData(bytes))[..12];

        Assert.Equal(expected, HttpImage.RecipeHash);
        if (string.IsNullOrEmpty(Environment.GetEnvironmentVariable(HttpImage.EnvironmentVariable)))
            Assert.Equal($"netperf-http:{expected}", HttpImage.Reference);
    }

    [Fact]
    public void Recipe_files_are_the_ones_the_build_script_hashes_in_its_order()
    {
        var script = File.ReadAllText(Path.Combine(Root, "image", "build-image.sh"));
        var http = HttpRecipeLine().Match(script);

        Assert.True(http.Success, "image/build-image.sh has no 'http) dir=... recipe=(...)' line; HttpImage must hash what it hashes");
        Assert.Equal(http.Groups[1].Value.Split(' ', StringSplitOptions.RemoveEmptyEntries), HttpImage.RecipeFiles);
    }

    [Fact]
    public void Server_script_rewrites_the_listen_line_the_recipe_installs_where_the_script_looks()
    {
        var site = File.ReadAllText(Path.Combine(Root, "image", "http", "default.conf"));
        var prepare = File.ReadAllText(Path.Combine(Root, "image", "http", "prepare-rootfs.sh"));

        Assert.Contains("listen 80 default_server;", site);
        Assert.Contains("\"$root" + HttpImage.SiteConfig + "\"", prepare);
        Assert.Contains("s/listen 80 default_server/listen $NETPERF_PORT default_server/", HttpImage.ServerScript);
        Assert.Contains(HttpImage.SiteConfig, HttpImage.ServerScript);
        Assert.EndsWith("exec nginx -g 'daemon off;'", HttpImage.ServerScript);
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Server_script_moves_nginx_to_the_pairs_port_with_one_worker_or_stops_with_a_message(bool recipeSite)
    {
        var dir = Directory.CreateTempSubdirectory("netperf-http-site-").FullName;
        try
        {
            var site = Path.Combine(dir, "default");
            var main = Path.Combine(dir, "nginx.conf");
            File.Copy(Path.Combine(Root, "image", "http", "default.conf"), site);
            // Debian bookworm's nginx.conf starts like this.
            File.WriteAllText(main, "user www-data;\nworker_processes auto;\npid /run/nginx.pid;\n");
            if (!recipeSite)
                File.WriteAllText(site, "server { listen 8080; }\n");
            // The script as the container runs it, on copies of the files, printing them instead of starting nginx.
            var script = HttpImage.ServerScript.Replace(HttpImage.SiteConfig, site, StringComparison.Ordinal)
                .Replace(HttpImage.MainConfig, main, StringComparison.Ordinal)
                .Replace("exec nginx -g 'daemon off;'", $"cat {site} {main}", StringComparison.Ordinal);
            var start = new System.Diagnostics.ProcessStartInfo("sh", ["-c", script]) { RedirectStandardOutput = true, RedirectStandardError = true };
            start.Environment["NETPERF_PORT"] = "5203";
            using var sh = System.Diagnostics.Process.Start(start)!;
            var stdout = await sh.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = await sh.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await sh.WaitForExitAsync(TestContext.Current.CancellationToken);

            if (recipeSite)
            {
                Assert.Equal(0, sh.ExitCode);
                Assert.Contains("listen 5203 default_server;", stdout);
                Assert.DoesNotContain("listen 80", stdout);
                Assert.Contains("\nworker_processes 1;\n", stdout);
            }
            else
            {
                Assert.Equal(1, sh.ExitCode);
                Assert.Contains("netperf: could not move nginx to port 5203 with one worker", stderr);
            }
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }

    [GeneratedRegex(@"^\s*http\)\s+dir=.*recipe=\(([^)]*)\)", RegexOptions.Multiline)]
    private static partial Regex HttpRecipeLine();
}
