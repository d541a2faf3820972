#!/usr/bin/env bash
# Runs `dotnet test` on one project, tees its output, and prints the real counts as the last line:
#   N passed, N failed
# Usage: scripts/dotnet-test.sh PROJECT [extra args for the test platform...]
set -uo pipefail
project=$1; shift
log=$(mktemp /tmp/netperf-test.XXXXXX.log)
dotnet test --project "$project" "$@" 2>&1 | tee "$log"
rc=${PIPESTATUS[0]}
count() { grep -E "^\s+$1: [0-9]+" "$log" | tail -n 1 | grep -oE '[0-9]+' || true; }
total=$(count total); failed=$(count failed); passed=$(count succeeded); skipped=$(count skipped)
if [ -z "$total" ]; then
  # The run did not get as far as a summary (build error, crash): report it as a failure.
  echo "no test summary found (dotnet test exit code $rc); see the output above"
  passed=0; failed=1; skipped=0
fi
none=0
# Exit code 8 is the test platform's "zero tests ran": a filter that matches nothing must not look green.
if [ "$rc" -eq 8 ] || [ "${total:-}" = 0 ]; then
  none=1
  echo "no test ran: the filter ($*) matched no test in $project; check its spelling (list them with: dotnet test --project $project -- --list-tests)"
elif [ "$rc" -ne 0 ] && [ "${failed:-0}" -eq 0 ]; then
  failed=1
fi
echo "${skipped:-0} skipped (not counted as passed)"
echo "${passed:-0} passed, ${failed:-0} failed"
rm -f "$log"
[ "${failed:-0}" -eq 0 ] && [ "$none" -eq 0 ]
