#!/usr/bin/env bash
# Builds a NetPerf image when it is absent and prints its tag: `scripts/build-image.sh [tools|http]`.
# The script itself lives next to the recipes in image/build-image.sh, so the NetPerf package carries it
# with them; see its header for the two ways it builds (debootstrap offline, or docker build).
set -euo pipefail
exec bash "$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)/image/build-image.sh" "$@"
