using NetPerf.Baselines;
using NetPerf.Cli;
using NetPerf.Tests.Baselines;

namespace NetPerf.Tests.Cli;

/// <summary>The split of between-run spread into what a job's cells share and what is each cell's own.</summary>
public class CommonModeAnalysisTests
{
    /// <summary>Cells 0..n-1 of jobs 0..m-1: cell k of job j is recorded k minutes into the job, its trials around factor(j, k).</summary>
    private static List<BaselineFile> Jobs(int cells, int jobs, Func<int, int, double> factor) =>
    [
        .. Enumerable.Range(0, cells).Select(k => new BaselineFile
        {
            Scenario = "S",
            Cell = $"cell{k}",
            Testbed = SampleBaselines.Fingerprint().TestbedName,
            Runs =
            [
                .. Enumerable.Range(0, jobs).Select(j => new BaselineRun
                {
                    Fingerprint = SampleBaselines.Fingerprint(),
                    RecordedAt = new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero).AddHours(j).AddMinutes(k),
                    RunId = $"job{j}",
                    Origin = "record",
                    Machine = "test",
                    Metrics = new Dictionary<string, BaselineMetric>
                    {
                        [SampleBaselines.Throughput.Name] = BaselineMetric.Create(SampleBaselines.Throughput,
                            [.. Enumerable.Range(0, 5).Select(i => 10 * factor(j, k) * (1 + 0.001 * i))], 0.10),
                    },
                }),
            ],
        }),
    ];

    private static readonly double[] Speeds = [1.0, 1.2, 0.8, 1.1, 0.9, 1.05];

    [Fact]
    public void When_the_whole_machine_moves_the_job_drift_removes_the_spread()
    {
        // Every cell of job j runs at the same speed factor: the spread is all common mode.
        var (rows, jobs) = CommonModeAnalysis.Evaluate(Jobs(cells: 8, jobs: 6, (j, _) => Speeds[j]));

        Assert.Equal(8, rows.Count);
        Assert.All(rows, r => Assert.True(r.Raw > 0.10, $"raw {r.Raw}"));
        Assert.All(rows, r => Assert.True(r.WithoutJobDrift < 0.001, $"{r.Key}: {r.WithoutJobDrift}"));
        // Only the cells with 6 earlier cells in their job can be corrected while the job runs.
        Assert.All(rows.Where(r => r.Key.StartsWith("S cell6", StringComparison.Ordinal) || r.Key.StartsWith("S cell7", StringComparison.Ordinal)),
            r => Assert.True(r.WithoutEarlierDrift < 0.001, $"{r.Key}: {r.WithoutEarlierDrift}"));
        Assert.All(rows.Where(r => r.Key.StartsWith("S cell0", StringComparison.Ordinal)), r => Assert.Equal(r.Raw, r.WithoutEarlierDrift, 9));
        // Job 1 ran 20% faster than job 0's... against the median of the other jobs: it is the fastest, by about 12-15%.
        var fast = Assert.Single(jobs, j => j.RunId == "job1");
        Assert.True(fast.Drift > 0.1, $"drift {fast.Drift}");
        Assert.Equal(8, fast.Cells);
    }

    [Fact]
    public void When_each_cell_moves_on_its_own_the_job_drift_does_not_narrow_it()
    {
        // Cell k of job j takes the speed of job (j + k) % 6: every job holds every speed once, so no job is faster as a whole.
        var (rows, jobs) = CommonModeAnalysis.Evaluate(Jobs(cells: 6, jobs: 6, (j, k) => Speeds[(j + k) % 6]));

        Assert.All(rows, r => Assert.True(r.WithoutJobDrift > 0.8 * r.Raw, $"{r.Key}: raw {r.Raw}, without job drift {r.WithoutJobDrift}"));
        Assert.All(jobs, j => Assert.True(Math.Abs(j.Drift) < 0.08, $"{j.RunId}: {j.Drift}"));
    }

    [Fact]
    public void The_report_says_per_machine_how_much_narrower_and_lists_each_job()
    {
        var text = CommonModeAnalysis.Report(Jobs(cells: 8, jobs: 6, (j, _) => Speeds[j]));

        Assert.Contains("## Common to the whole run, or the cell's own?", text, StringComparison.Ordinal);
        Assert.Contains("narrower without job drift for 8 of 8", text, StringComparison.Ordinal);
        Assert.Contains("| job2 |", text, StringComparison.Ordinal);
        Assert.Contains("No gated metric has 4 runs", CommonModeAnalysis.Report(Jobs(cells: 2, jobs: 3, (j, _) => Speeds[j])), StringComparison.Ordinal);
    }
}
