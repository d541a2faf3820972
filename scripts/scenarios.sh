#!/usr/bin/env bash
# The main job: every CI-scale scenario against the committed baselines in baselines/.
# Does its own setup. Results (markdown summary, HTML report, JSON, CSV) go to results/scenarios/.
# Pass test-platform options after the script, e.g.  scripts/scenarios.sh --filter-trait "driver=Bridge"
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
"$here/scripts/setup.sh" >/dev/null
export NETPERF_RESULTS="${NETPERF_RESULTS:-$here/results/scenarios}"
export NETPERF_BASELINES="${NETPERF_BASELINES:-$here/baselines}"
# Bound sequential sampling in the main job so an inconclusive cell cannot stretch it past its time budget.
export NETPERF_MAX_TRIALS="${NETPERF_MAX_TRIALS:-10}"
exec "$here/scripts/dotnet-test.sh" src/NetPerf.Scenarios --results-directory "$NETPERF_RESULTS" "$@"
