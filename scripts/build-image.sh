#!/usr/bin/env bash
# Builds the NetPerf tools image when it is absent. Its tag carries a hash of the recipe
# (image/packages.txt + image/Dockerfile), so a changed recipe gives a new tag and a rebuild.
# Prints the tag on stdout.
#
# Two ways, chosen by NETPERF_IMAGE_BUILD (default auto):
#   dockerfile   docker build with image/Dockerfile (needs a registry for debian:bookworm-slim)
#   debootstrap  debootstrap bookworm from the machine's own Debian mirror + docker import (offline)
#   auto         debootstrap when the apt sources name a Debian mirror, else dockerfile
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[image] %s\n' "$*" >&2; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

hash=$(cat "$here/image/packages.txt" "$here/image/Dockerfile" | sha256sum | cut -c1-12)
tag="netperf-tools:$hash"
if docker image inspect "$tag" >/dev/null 2>&1; then
  log "image $tag is present"
  echo "$tag"; exit 0
fi

packages=$(grep -v '^\s*#' "$here/image/packages.txt" | grep -v '^\s*$' | paste -sd, -)

debian_mirror() {
  # The first non-security Debian mirror of the apt sources (deb822 or one-line format).
  local f uri
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -f "$f" ] || continue
    uri=$(awk '/^URIs:/{u=$2} /^Suites:/{ if ($0 !~ /security/ && u != "") { print u; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -f "$f" ] || continue
    uri=$(awk '$1=="deb" && $0 !~ /security/ && $0 ~ /debian/ { for (i=2;i<=NF;i++) if ($i ~ /^https?:/) { print $i; exit } }' "$f")
    [ -n "$uri" ] && { echo "$uri"; return; }
  done
}

mode=${NETPERF_IMAGE_BUILD:-auto}
mirror=$(debian_mirror || true)
if [ "$mode" = auto ]; then
  if [ -n "$mirror" ] && grep -rqs debian /etc/apt/sources.list /etc/apt/sources.list.d/; then mode=debootstrap; else mode=dockerfile; fi
fi

case "$mode" in
  dockerfile)
    log "building $tag from image/Dockerfile"
    docker build -q -f "$here/image/Dockerfile" -t "$tag" --label netperf.image=tools "$here/image" >&2
    ;;
  debootstrap)
    [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources*; set NETPERF_IMAGE_BUILD=dockerfile"
    command -v debootstrap >/dev/null || die "debootstrap is not installed; run scripts/setup.sh"
    root=$(mktemp -d /tmp/netperf-rootfs.XXXXXX)
    trap 'rm -rf "$root"' EXIT
    log "debootstrap bookworm ($packages) from $mirror into $root (about 30-60 s)"
    debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >/tmp/netperf-debootstrap.log 2>&1 \
      || die "debootstrap failed; see /tmp/netperf-debootstrap.log"
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    log "importing the root file system as $tag"
    tar -C "$root" -c . | docker import \
      --change 'CMD ["sleep","infinity"]' --change 'LABEL netperf.image=tools' - "$tag" >/dev/null
    ;;
  *) die "NETPERF_IMAGE_BUILD must be dockerfile, debootstrap or auto (got '$mode')" ;;
esac
docker image inspect "$tag" >/dev/null 2>&1 || die "image $tag was not created"
log "built $tag"
echo "$tag"
