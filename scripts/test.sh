#!/usr/bin/env bash
# The framework's own tests: unit tests on canned tool output, integration tests that start real containers on
# every available driver, and the HTML report's browser test. Does its own setup (installs and starts what is
# missing). Collects coverage (cobertura) and prints the line-coverage figure from ReportGenerator.
# Ends with the line "N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
"$here/scripts/setup.sh" >/dev/null
results="$here/results/framework-tests"
# The reliability tests' numbers (faults injected, inputs tried, resources leaked) of this run; see docs/reliability.md.
export NETPERF_RELIABILITY_LEDGER="$here/results/reliability-last-run.md"
rm -f "$NETPERF_RELIABILITY_LEDGER"
log=$(mktemp /tmp/netperf-framework-tests.XXXXXX.log)
trap 'rm -f "$log"' EXIT
set +e
"$here/scripts/dotnet-test.sh" tests/NetPerf.Framework.Tests --results-directory "$results" \
  --coverage --coverage-output-format cobertura --coverage-output framework.cobertura.xml \
  --coverage-settings "$here/tests/NetPerf.Framework.Tests/coverage.config" "$@" | tee "$log"
rc=${PIPESTATUS[0]}
if [ -s "$results/framework.cobertura.xml" ]; then
  "$here/scripts/coverage.sh" "$results/framework.cobertura.xml" "$here/results/coverage" \
    || echo "coverage: the report could not be made (see above); the test result below stands"
fi
set -e
[ -s "$NETPERF_RELIABILITY_LEDGER" ] && echo "reliability numbers of this run: $NETPERF_RELIABILITY_LEDGER"
# dotnet-test.sh ends with "N passed, N failed"; repeat it so it stays the last line.
tail -n 1 "$log"
exit "$rc"
