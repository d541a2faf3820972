namespace NetPerf.Tests.Baselines;

public class EnvironmentFingerprintTests
{
    [Theory]
    [InlineData(2, "Intel(R) Xeon(R) Platinum 8370C CPU @ 2.80GHz", "6.1.0-18-amd64", "2c-intel-xeon-platinum-8370c-6.1")]
    [InlineData(64, "AMD EPYC 7763 64-Core Processor", "6.18.2", "64c-amd-epyc-7763-64-core-6.18")]
    [InlineData(4, "", "weird", "4c-unknown-cpu-weird")]
    public void Default_testbed_name_is_cores_cpu_slug_and_kernel_major_minor(int cores, string cpu, string kernel, string expected) =>
        Assert.Equal(expected, EnvironmentFingerprint.DefaultTestbedName(cores, cpu, kernel));

    [Fact]
    public void Testbed_name_can_be_overridden()
    {
        var fingerprint = SampleBaselines.Fingerprint() with { TestbedName = "ci-runner" };

        Assert.Equal("ci-runner", fingerprint.TestbedName);
        Assert.Throws<ArgumentException>(() => SampleBaselines.Fingerprint() with { TestbedName = " " });
    }

    [Fact]
    public void Equality_compares_dictionaries_by_content_and_differences_are_listed()
    {
        var a = SampleBaselines.Fingerprint();
        var b = SampleBaselines.Fingerprint();
        var c = b with { Kernel = "6.18.0", ToolVersions = new Dictionary<string, string> { ["iperf3"] = "3.16", ["sockperf"] = "3.7" } };

        Assert.Equal(a, b);
        Assert.Equal(a.GetHashCode(), b.GetHashCode());
        Assert.NotEqual(a, c);
        Assert.Equal(
            ["testbed name: '2c-intel-xeon-platinum-8370c-6.1' -> '2c-intel-xeon-platinum-8370c-6.18'", "kernel: '6.1.0-18-amd64' -> '6.18.0'", "tool 'iperf3': '3.12' -> '3.16'"],
            c.DifferencesFrom(a));
    }
}
