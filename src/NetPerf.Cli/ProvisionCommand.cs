using System.CommandLine;
using System.Globalization;
using NetPerf.Testbeds;

namespace NetPerf.Cli;

/// <summary><c>netperf provision</c>: builds a testbed, prints its containers, holds it, tears it down.</summary>
internal static class ProvisionCommand
{
    public static Command Create()
    {
        var command = new Command("provision", "Builds a testbed and holds it (for exploring by hand: docker exec into its containers); Ctrl-C tears it down.");
        var driver = new Option<Driver>("--driver") { Description = "Network driver.", DefaultValueFactory = _ => Driver.Bridge };
        var pairs = new Option<int>("--pairs") { Description = "Client/server pairs.", DefaultValueFactory = _ => 1 };
        var placement = new Option<Placement>("--placement") { Description = "SameNode, or AcrossNodes (clients on a second engine of the swarm; Overlay or Macvlan).", DefaultValueFactory = _ => Placement.SameNode };
        var hold = new Option<double>("--hold") { Description = "Seconds to hold the testbed before tearing it down.", DefaultValueFactory = _ => 0 };
        command.Options.Add(driver);
        command.Options.Add(pairs);
        command.Options.Add(placement);
        command.Options.Add(hold);
        command.SetAction(async (parse, ct) =>
        {
            Console.WriteLine($"session {Reaper.SessionId}, pid {Environment.ProcessId}: provisioning");
            var bed = await new TestbedBuilder().WithDriver(parse.GetValue(driver)).WithPairs(parse.GetValue(pairs)).WithPlacement(parse.GetValue(placement)).BuildAsync(ct);
            try
            {
                Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"ready: {bed.Name}, {bed.Nodes.Count} containers in {bed.ProvisioningTime.TotalSeconds:0.00} s"));
                foreach (var p in bed.Pairs) Console.WriteLine($"  pair {p.Index}: {p.Client} -> {p.Server}:{p.Port}");
                foreach (var (k, v) in bed.Facts) Console.WriteLine($"  {k} = {v}");
                await Task.Delay(TimeSpan.FromSeconds(parse.GetValue(hold)), ct);
            }
            finally
            {
                await bed.DisposeAsync();
            }
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"torn down in {bed.TeardownTime.TotalSeconds:0.00} s"));
            return 0;
        });
        return command;
    }
}
