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
[ "$rc" -ne 0 ] && [ "${failed:-0}" -eq 0 ] && [ "$rc" -ne 8 ] && failed=1
echo "${skipped:-0} skipped (not counted as passed)"
echo "${passed:-0} passed, ${failed:-0} failed"
rm -f "$log"
[ "${failed:-0}" -eq 0 ]
