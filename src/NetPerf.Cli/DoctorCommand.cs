using System.CommandLine;
using NetPerf.Testbeds;

namespace NetPerf.Cli;

/// <summary><c>netperf doctor</c>: one line per driver, available or not and why.</summary>
internal static class DoctorCommand
{
    public static Command Create()
    {
        var command = new Command("doctor", "Checks the engine, the tools image, Open vSwitch and the kernel; one line per driver. Exit code 1 when a driver named with --require is unavailable.");
        var require = new Option<Driver[]>("--require") { Description = "Drivers that must be available (exit code 1 otherwise).", AllowMultipleArgumentsPerToken = true };
        command.Options.Add(require);
        command.SetAction(parse =>
        {
            var check = new CapabilityCheck();
            var probe = check.Probe;
            Console.WriteLine($"engine   {(probe.Engine is { } e ? $"Docker {e.ServerVersion}, API {e.ApiVersion}, {e.Cpus} CPUs, kernel {e.KernelVersion}" : probe.EngineProblem)}");
            Console.WriteLine($"image    {probe.Image}: {probe.ImageProblem ?? "present"}");
            Console.WriteLine($"ovs      {(probe.Ovs.Installed ? $"{probe.Ovs.Version}, {(probe.Ovs.Running ? "running" : "NOT running")}, datapath {probe.Ovs.Datapath}" : "not installed")}");
            foreach (var answer in check.CheckAll()) Console.WriteLine(answer);
            var missing = (parse.GetValue(require) ?? []).Where(d => !check.Check(d).Available).ToList();
            return missing.Count == 0 ? 0 : 1;
        });
        return command;
    }
}
