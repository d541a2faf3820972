#!/usr/bin/env bash
# NetPerf's aggregate throughput and p50 latency next to iperf3/sockperf run by hand in the same containers (Bridge, 1 and
# 10 pairs), and the test process's own CPU during workloads; writes docs/fidelity.md. Needs the engine (scripts/setup.sh).
# Extra options go to the command, e.g.  bash scripts/fidelity.sh --trials 11 --out /tmp/fidelity.md
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
exec dotnet run --project "$here/src/NetPerf.Cli" -- fidelity "$@"
