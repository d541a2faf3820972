#!/usr/bin/env bash
# The framework's own tests: unit tests on canned tool output, and integration tests that start real
# containers on every available driver. Does its own setup (installs and starts what is missing).
# Ends with the line "N passed, N failed".
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
"$here/scripts/setup.sh" >/dev/null
exec "$here/scripts/dotnet-test.sh" tests/NetPerf.Framework.Tests --results-directory "$here/results/framework-tests" "$@"
