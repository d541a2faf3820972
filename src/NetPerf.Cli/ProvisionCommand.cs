using System.CommandLine;
using System.Globalization;
using NetPerf.Testbeds;

namespace NetPerf.Cli;

/// <summary><c>netperf provision</c>: builds a testbed, prints its containers, optionally runs a workload on it, holds it, tears it down.</summary>
/// <remarks>
/// The lines <c>session ...</c>, <c>ready:</c>, <c>workload: started</c>, <c>workload: finished</c> and <c>teardown: started</c>
/// are parsed by the interrupted-run tests (a signal sent right after one of them); keep their beginnings stable.
/// </remarks>
internal static class ProvisionCommand
{
    public static Command Create()
    {
        var command = new Command("provision", "Builds a testbed and holds it (for exploring by hand: docker exec into its containers); Ctrl-C tears it down.");
        var driver = new Option<Driver>("--driver") { Description = "Network driver.", DefaultValueFactory = _ => Driver.Bridge };
        var pairs = new Option<int>("--pairs") { Description = "Client/server pairs.", DefaultValueFactory = _ => 1 };
        var placement = new Option<Placement>("--placement") { Description = "SameNode, or AcrossNodes (clients on a second engine of the swarm; Overlay or Macvlan).", DefaultValueFactory = _ => Placement.SameNode };
        var hold = new Option<double>("--hold") { Description = "Seconds to hold the testbed before tearing it down.", DefaultValueFactory = _ => 0 };
        var workloadSeconds = new Option<double>("--workload-seconds") { Description = "Seconds of iperf3 TCP over all pairs to run once the testbed is ready, before the hold (0: none).", DefaultValueFactory = _ => 0 };
        command.Options.Add(driver);
        command.Options.Add(pairs);
        command.Options.Add(placement);
        command.Options.Add(hold);
        command.Options.Add(workloadSeconds);
        command.SetAction(async (parse, ct) =>
        {
            Console.WriteLine($"session {Reaper.SessionId}, pid {Environment.ProcessId}: provisioning");
            var bed = await new TestbedBuilder().WithDriver(parse.GetValue(driver)).WithPairs(parse.GetValue(pairs)).WithPlacement(parse.GetValue(placement)).BuildAsync(ct);
            var failed = true;
            try
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready: {bed.Name}, {bed.Nodes.Count} containers in {bed.ProvisioningTime.TotalSeconds:0.00} s"));
                foreach (var p in bed.Pairs) Console.WriteLine($"  pair {p.Index}: {p.Client} -> {p.Server}:{p.Port}");
                foreach (var (k, v) in bed.Facts) Console.WriteLine($"  {k} = {v}");
                if (parse.GetValue(workloadSeconds) is > 0 and var seconds)
                {
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"workload: started, iperf3 TCP for {seconds:0.###} s over {bed.Pairs.Count} pairs"));
                    var result = await Workload.Iperf3Tcp(TimeSpan.FromSeconds(seconds)).RunAsync(bed, ct);
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"workload: finished, {result.Value(Metrics.AggregateThroughput):0.00} Gbit/s aggregate"));
                }

                await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(hold)), ct);
                failed = false;
            }
            finally
            {
                Console.WriteLine("teardown: started");
                try
                {
                    await bed.DisposeAsync();
                }
                catch (Exception e) when (failed)
                {
                    // What failed first (e.g. the engine went away under the workload) is the error; a teardown that then
                    // fails too (same cause) is reported beside it, not instead of it.
                    await Console.Error.WriteLineAsync($"[netperf] {e.Message}");
                }
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"torn down in {bed.TeardownTime.TotalSeconds:0.00} s"));
            return 0;
        });
        return command;
    }
}
