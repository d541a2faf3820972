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

    [Fact]
    public void Two_cpus_of_one_model_name_are_different_machines_when_their_family_differs()
    {
        // Both seen on this project's machines under KVM: model name 'AMD EPYC', families 26 and 23, one kernel build.
        var zen5 = SampleBaselines.Fingerprint() with { CpuModel = "AMD EPYC", Kernel = "6.18.44-fc-v1045", CpuSignature = "AuthenticAMD 26/2/1" };
        var zen1 = zen5 with { CpuSignature = "AuthenticAMD 23/1/2" };
        var unknown = zen5 with { CpuSignature = null };

        Assert.Equal(zen5.TestbedName, zen1.TestbedName);
        Assert.NotEqual(zen5.Machine, zen1.Machine);
        Assert.Equal("2c AMD EPYC (AuthenticAMD 23/1/2) 6.18.44-fc-v1045", zen1.Machine);
        // A run recorded before the signature was kept is never taken for this machine's own.
        Assert.NotEqual(unknown.Machine, zen1.Machine);
        Assert.Contains("cpu signature: 'AuthenticAMD 26/2/1' -> 'AuthenticAMD 23/1/2'", zen1.DifferencesFrom(zen5));
    }

    [Fact]
    public void The_cpu_signature_is_read_from_the_first_processor_of_proc_cpuinfo()
    {
        string[] cpuinfo =
        [
            "processor\t: 0", "vendor_id\t: AuthenticAMD", "cpu family\t: 23", "model\t\t: 1", "model name\t: AMD EPYC", "stepping\t: 2", "",
            "processor\t: 1", "vendor_id\t: GenuineIntel", "cpu family\t: 6", "model\t\t: 106", "stepping\t: 6", "",
        ];

        Assert.Equal("AuthenticAMD 23/1/2", NetPerf.Experiments.FingerprintReader.CpuSignatureOf(cpuinfo));
        Assert.Null(NetPerf.Experiments.FingerprintReader.CpuSignatureOf(["processor\t: 0", "model name\t: ARMv8"]));
    }
}
