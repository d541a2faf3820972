using System.CommandLine;
using NetPerf.Cli;

var root = new RootCommand("NetPerf: performance regression tests for container networking.")
{
    DoctorCommand.Create(),
    SweepCommand.Create(),
    ProvisionCommand.Create(),
    AcceptCommand.Create(),
    MergeRunsCommand.Create(),
    CalibrateCommand.Create(),
    FidelityCommand.Create(),
    FindingsCommand.Create(),
    ReportCommand.Create(),
    BaselineDiffCommand.Create(),
    WatchCommand.Create(),
};
return await root.Parse(args).InvokeAsync();
