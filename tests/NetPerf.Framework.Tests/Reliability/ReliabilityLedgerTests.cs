namespace NetPerf.Tests.Reliability;

public sealed class ReliabilityLedgerTests
{
    [Fact]
    public void The_table_sums_each_kind_of_fault_and_input_and_counts_its_tests()
    {
        ReliabilityLedger.Entry[] entries =
        [
            new("1. Faults", "SIGKILL during a workload", "A", 1, 0, 0),
            new("1. Faults", "SIGKILL during a workload", "A", 1, 0, 2),
            new("1. Faults", "SIGKILL during a workload", "B", 1, 0, 0),
            new("1. Faults", "an engine call that never answers", "C", 14, 0, null),
            new("4. Bad input", "hostile baseline files", "D", 0, 43, null),
        ];

        var table = ReliabilityLedger.Table(entries, new DateTimeOffset(2026, 12, 3, 7, 0, 0, TimeSpan.Zero), "2c test machine");

        Assert.Contains("on 2026-12-03 07:00 UTC on 2c test machine", table, StringComparison.Ordinal);
        Assert.Contains("| 1. Faults | SIGKILL during a workload | 2 | 3 | 0 | 2 |", table, StringComparison.Ordinal);
        Assert.Contains("| 1. Faults | an engine call that never answers | 1 | 14 | 0 | - |", table, StringComparison.Ordinal);
        Assert.Contains("| 4. Bad input | hostile baseline files | 1 | 0 | 43 | - |", table, StringComparison.Ordinal);
        Assert.Contains("| **All** | | 4 | 17 | 43 | 2 |", table, StringComparison.Ordinal);
    }
}
