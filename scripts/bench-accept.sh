#!/usr/bin/env bash
# Benchmark (not a test): how long `netperf accept` takes on a large baseline, and the bytes it writes.
# Makes a baseline of RUNS runs of METRICS metrics of SAMPLES trial values each (fixed seed: the same files every time)
# and a received file of one more run, then times `netperf accept` REPEATS times on fresh copies of them and prints each
# time and the sha256 of the baseline it wrote (the same input must give the same bytes, before and after a change).
#
#   bash scripts/bench-accept.sh [repeats=5] [runs=10] [metrics=160] [samples=150] [netperf.dll]
#
# The defaults give a 4.7 MB baseline: 1,600 metrics (160 per run, 10 runs) of 150 samples each, the shape of the 4.2 MB
# baseline that took 16.5 s before it wrote (docs/reliability.md, KilledBaselineWriteTests row). Without a netperf.dll it builds the CLI in
# Release and uses that.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
repeats=${1:-5}
runs=${2:-10}
metrics=${3:-160}
samples=${4:-150}
dll=${5:-}
if [ -z "$dll" ]; then
  dotnet build "$here/src/NetPerf.Cli" -c Release -v q -nologo >/dev/null
  dll="$here/src/NetPerf.Cli/bin/Release/net10.0/netperf.dll"
fi
tmp=$(mktemp -d /tmp/netperf-bench-accept.XXXXXX)
# NETPERF_BENCH_KEEP=1 keeps the folder (its path is printed) for a profiler: $tmp/input holds the untouched files.
[ -n "${NETPERF_BENCH_KEEP:-}" ] && echo "kept: $tmp" || trap 'rm -rf "$tmp"' EXIT INT TERM

python3 - "$tmp/input" "$runs" "$metrics" "$samples" <<'EOF'
import json, os, random, sys
root, runs, metrics, samples = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
rng = random.Random(13)
def sig4(x):  # 4 significant digits, as NetPerf writes numbers
    return float(f"{x:.4g}")
def run(i):
    ms = {}
    for m in range(metrics):
        centre = 10 + m % 37
        vals = [sig4(rng.gauss(centre, centre * 0.03)) for _ in range(samples)]
        ms[f"metric_{m:04d}"] = {"median": sorted(vals)[samples // 2], "values": vals}
    return {
        "commit": f"{i:07x}", "run_id": f"r{i:04d}", "origin": "record",
        "recorded_at": f"2026-11-{1 + i // 24:02d}T{i % 24:02d}:00:00Z",
        "machine": "AMD EPYC (AuthenticAMD 23/1/2), 2 cores, kernel 6.18, engine 20.10.24",
        "fingerprint": {"cores": 2, "cpu_model": "AMD EPYC", "cpu_signature": "AuthenticAMD 23/1/2", "engine_version": "20.10.24",
                        "image_id": "sha256:0123abcd", "kernel": "6.18", "offloads": {}, "ovs_datapath": None, "ovs_version": None,
                        "tool_versions": {"iperf3": "iperf 3.12"}},
        "metrics": ms,
    }
definitions = {f"metric_{m:04d}": {"direction": "higher_is_better" if m % 2 else "lower_is_better",
                                   "tolerance": 0.05 if m % 3 else None, "unit": "Gbit/s" if m % 2 else "us"} for m in range(metrics)}
def baseline(rs):
    return {"cell": "driver=Bridge/pairs=1", "format_version": 2, "metrics": definitions, "runs": rs,
            "scenario": "Bench.Accept", "testbed": "bench"}
folder = os.path.join(root, "bench", "Bench.Accept")
os.makedirs(folder)
all_runs = [run(i) for i in range(runs + 1)]
for name, rs in (("driver=Bridge__pairs=1.json", all_runs[:runs]), ("driver=Bridge__pairs=1.received.json", all_runs[runs:])):
    with open(os.path.join(folder, name), "w", encoding="utf-8", newline="\n") as f:
        json.dump(baseline(rs), f, indent=2, sort_keys=True)
        f.write("\n")
EOF

baseline="$tmp/input/bench/Bench.Accept/driver=Bridge__pairs=1.json"
echo "baseline: $(stat -c %s "$baseline") bytes, $runs runs x $metrics metrics x $samples samples; received: 1 run; netperf: $dll"
for i in $(seq 1 "$repeats"); do
  rm -rf "$tmp/work" && cp -r "$tmp/input" "$tmp/work"
  start=$(date +%s.%N)
  dotnet "$dll" accept --baselines "$tmp/work" >"$tmp/out" 2>&1 || { cat "$tmp/out"; exit 1; }
  end=$(date +%s.%N)
  written="$tmp/work/bench/Bench.Accept/driver=Bridge__pairs=1.json"
  awk -v a="$start" -v b="$end" -v i="$i" -v s="$(sha256sum "$written" | cut -c1-16)" -v n="$(stat -c %s "$written")" \
    'BEGIN{printf "run %d: %.2f s; wrote %d bytes, sha256 %s\n", i, b-a, n, s}'
done
