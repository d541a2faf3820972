using System.CommandLine;
using NetPerf.Testbeds;
using NetPerf.Testbeds.Engine;

namespace NetPerf.Cli;

/// <summary><c>netperf sweep</c>: removes what dead NetPerf runs left behind.</summary>
internal static class SweepCommand
{
    public static Command Create()
    {
        var command = new Command("sweep", "Removes containers, networks, veths and OVS bridges of NetPerf runs whose process is gone (never those of a live run).");
        command.SetAction(async (_, ct) =>
        {
            using var engine = TestcontainersEngine.FromEnvironment();
            var removed = await LeftoverSweeper.SweepAsync(engine, ct);
            foreach (var r in removed) Console.WriteLine($"removed {r}");
            Console.WriteLine($"{removed.Count} leftover(s) removed");
            return 0;
        });
        return command;
    }
}
