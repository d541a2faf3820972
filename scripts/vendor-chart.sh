#!/usr/bin/env bash
# Re-fetches the chart library the HTML report inlines (Chart.js, MIT) from the npm registry with npm,
# and puts its minified UMD build and its license next to the report code:
#   src/NetPerf.Framework/Reports/Assets/chart.umd.min.js
#   src/NetPerf.Framework/Reports/Assets/chart.js.LICENSE.md
# Usage: scripts/vendor-chart.sh [VERSION]   (default: the version recorded in Assets/chart.js.VERSION)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
assets="$here/src/NetPerf.Framework/Reports/Assets"
version=${1:-$(cat "$assets/chart.js.VERSION" 2>/dev/null || echo 4.5.1)}
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && npm pack --silent "chart.js@$version" >/dev/null )
tar -xzf "$work"/chart.js-*.tgz -C "$work"
mkdir -p "$assets"
# The source map comment is dropped: the report is one file and has no map next to it.
grep -v '^//# sourceMappingURL=' "$work/package/dist/chart.umd.min.js" > "$assets/chart.umd.min.js"
cp "$work/package/LICENSE.md" "$assets/chart.js.LICENSE.md"
node -e 'process.stdout.write(require(process.argv[1]).version + "\n")' "$work/package/package.json" > "$assets/chart.js.VERSION"
echo "vendored chart.js $(cat "$assets/chart.js.VERSION") into $assets ($(wc -c < "$assets/chart.umd.min.js") bytes)"
