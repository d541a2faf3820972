#!/usr/bin/env bash
# The papers' experiments at their own scale: every full-scale cell ([FullScale], pair counts 1 to 50) once, sized for a
# 2-core machine: 3 trials per cell and every workload capped at NETPERF_MAX_DURATION seconds (default 5). It measures,
# it does not gate: the runs are recorded into a scratch baselines folder, and the results are kept as data so that
# docs/findings.md can be regenerated without rerunning.
#   bash scripts/paper-suite.sh [output folder, default docs/paper-scale]   (extra test-platform options after it)
# Output: data.json and data.csv (every trial of every cell), summary.md, report.html, progress.log, machine.txt, and
# baselines/ (the recorded runs, one file per cell: what `netperf findings --paper-scale` reads).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
out="${1:-$here/docs/paper-scale}"
shift || true
scratch=$(mktemp -d /tmp/netperf-paper.XXXXXX)
trap 'rm -rf "$scratch"' EXIT
start=$(date -u +%FT%TZ)
# The commit measured (taken now: the tree may move on while the suite runs).
commit=$(git -C "$here" rev-parse --short HEAD)
signature=$(awk -F': ' '/^vendor_id/{v=$2} /^cpu family/{f=$2} /^model\t/{m=$2} /^stepping/{s=$2; print v" "f"/"m"/"s; exit}' /proc/cpuinfo)
set +e
NETPERF_RECORD=1 NETPERF_RECORD_TRIALS=3 NETPERF_TRIALS=3 NETPERF_MAX_TRIALS=3 \
  NETPERF_MAX_DURATION="${NETPERF_MAX_DURATION:-5}" \
  NETPERF_BASELINES="$scratch/baselines" NETPERF_RESULTS="$scratch/results" \
  bash "$here/scripts/scenarios.sh" --explicit only --filter-trait scale=full "$@"
rc=$?
set -e
mkdir -p "$out"
for f in data.json data.csv summary.md report.html progress.log; do
  [ -f "$scratch/results/$f" ] && cp "$scratch/results/$f" "$out/$f"
done
if [ -d "$scratch/baselines" ]; then
  rm -rf "$out/baselines" && cp -r "$scratch/baselines" "$out/baselines"
fi
{
  echo "started $start, ended $(date -u +%FT%TZ)"
  echo "cpu: $(lscpu | sed -n 's/^Model name: *//p') ($signature, $(nproc) cores), kernel $(uname -r), engine $(docker version --format '{{.Server.Version}}' 2>/dev/null)"
  echo "settings: 3 trials per cell, workloads capped at ${NETPERF_MAX_DURATION:-5} s, commit $commit"
} > "$out/machine.txt"
echo "paper-scale results in $out (exit $rc)"
exit "$rc"
