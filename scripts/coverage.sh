#!/usr/bin/env bash
# Turns a cobertura file into a ReportGenerator report (HTML and text summary) and prints the line coverage.
#
#   scripts/coverage.sh COBERTURA.xml [OUTPUT_DIR]      (default OUTPUT_DIR: results/coverage)
#
# The cobertura file comes from the framework's tests run with the code coverage extension of
# Microsoft.Testing.Platform (the test project references Microsoft.Testing.Extensions.CodeCoverage):
#
#   dotnet test --project tests/NetPerf.Framework.Tests -- --coverage --coverage-output-format cobertura \
#     --coverage-output framework.cobertura.xml --results-directory results/framework-tests
#
# which writes results/framework-tests/framework.cobertura.xml (a relative --coverage-output is taken inside
# the results directory). ReportGenerator comes from the NuGet package ReportGenerator, which the test project
# restores without referencing it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cobertura=${1:?usage: scripts/coverage.sh COBERTURA.xml [OUTPUT_DIR]}
out=${2:-$here/results/coverage}
[ -s "$cobertura" ] || { echo "coverage: '$cobertura' does not exist or is empty; run the tests with --coverage first (see the header of $0)" >&2; exit 2; }

package=$(dotnet msbuild "$here/tests/NetPerf.Framework.Tests" -getProperty:PkgReportGenerator 2>/dev/null | tr -d '\r' || true)
if [ -z "$package" ] || [ ! -d "$package" ]; then
  dotnet restore "$here/tests/NetPerf.Framework.Tests" >/dev/null
  package=$(dotnet msbuild "$here/tests/NetPerf.Framework.Tests" -getProperty:PkgReportGenerator | tr -d '\r')
fi
tool=$(ls -d "$package"/tools/net10.0/ReportGenerator.dll "$package"/tools/net*/ReportGenerator.dll 2>/dev/null | head -n 1 || true)
[ -n "$tool" ] || { echo "coverage: ReportGenerator.dll not found under '$package/tools'; is the ReportGenerator package restored?" >&2; exit 2; }

mkdir -p "$out"
# Code the compiler generates (obj/: [GeneratedRegex] and other source generators) is not the project's to test.
dotnet "$tool" "-reports:$cobertura" "-targetdir:$out" "-reporttypes:Html;TextSummary" "-verbosity:Warning" \
  "-title:NetPerf framework tests" "-filefilters:-*/obj/*" >/dev/null
summary="$out/Summary.txt"
[ -s "$summary" ] || { echo "coverage: ReportGenerator wrote no $summary" >&2; exit 2; }
line=$(grep -E '^\s*Line coverage:' "$summary" | head -n 1 | sed -E 's/^\s*Line coverage:\s*//')
echo "coverage: HTML report $out/index.html, text summary $summary"
echo "coverage: line coverage $line"
