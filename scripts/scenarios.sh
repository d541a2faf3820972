#!/usr/bin/env bash
# The main job: every CI-scale scenario against the committed baselines in baselines/.
# Does its own setup. Results (markdown summary, HTML report, JSON, CSV) go to results/scenarios/.
# Pass test-platform options after the script, e.g.  scripts/scenarios.sh --filter-trait "driver=Bridge"
# Exits with the tests' exit code; the last line is "N passed, N failed", after the report's lines.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
"$here/scripts/setup.sh" >/dev/null
export NETPERF_RESULTS="${NETPERF_RESULTS:-$here/results/scenarios}"
export NETPERF_BASELINES="${NETPERF_BASELINES:-$here/baselines}"
# Bound sequential sampling in the main job so an inconclusive cell cannot stretch it past its time budget.
export NETPERF_MAX_TRIALS="${NETPERF_MAX_TRIALS:-5}"
log=$(mktemp /tmp/netperf-scenarios.XXXXXX.log)
# The test platform shows a test's output only when it ends; the cells write one line per step (provisioning, each
# trial, confirmation, verdict) to progress.log, followed here so a long run shows signs of life.
# On a terminal (and without CI) `netperf watch` draws them as a live view (cells done by verdict, the running cell's
# step) and the test platform's own output is shown after the run; elsewhere, or with NETPERF_PLAIN_PROGRESS=1, the
# lines are printed as they come.
progress="$NETPERF_RESULTS/progress.log"
mkdir -p "$NETPERF_RESULTS"
: > "$progress"
live=0
if [ -t 1 ] && [ -z "${CI:-}" ] && [ "${NETPERF_PLAIN_PROGRESS:-0}" != 1 ] \
  && dotnet build "$here/src/NetPerf.Cli" -v q --nologo >/dev/null 2>&1; then
  live=1
  dotnet "$here/src/NetPerf.Cli/bin/Debug/net10.0/netperf.dll" watch --file "$progress" --until-pid $$ &
else
  tail -n 0 -F "$progress" 2>/dev/null &
fi
follower=$!
trap 'kill "$follower" 2>/dev/null || true; rm -f "$log"' EXIT
set +e
if [ "$live" = 1 ]; then
  "$here/scripts/dotnet-test.sh" src/NetPerf.Scenarios --results-directory "$NETPERF_RESULTS" "$@" > "$log" 2>&1
  rc=$?
else
  "$here/scripts/dotnet-test.sh" src/NetPerf.Scenarios --results-directory "$NETPERF_RESULTS" "$@" | tee "$log"
  rc=${PIPESTATUS[0]}
fi
sleep 0.5
kill "$follower" 2>/dev/null
wait "$follower" 2>/dev/null
[ "$live" = 1 ] && cat "$log"
# The report runs whether the tests passed or failed: a red run is when people need it most.
# Its summary is appended to $GITHUB_STEP_SUMMARY when that is set.
dotnet run --project "$here/src/NetPerf.Cli" -- report --results "$NETPERF_RESULTS" \
  || echo "report: 'netperf report --results $NETPERF_RESULTS' failed (see above); the test result below stands"
set -e
# dotnet-test.sh ends with "N passed, N failed"; repeat it so it stays the last line.
tail -n 1 "$log"
exit "$rc"
