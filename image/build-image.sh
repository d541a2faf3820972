#!/usr/bin/env bash
# Builds a NetPerf image when it is absent. Its tag carries a hash of the image's recipe, so a
# changed recipe gives a new tag and a rebuild. Prints the tag on stdout.
#
#   image/build-image.sh [tools]   netperf-tools:<hash>  the benchmark tools every scenario runs
#                                  (recipe: image/packages.txt + image/Dockerfile)
#   image/build-image.sh http      netperf-http:<hash>   nginx serving /1k.bin and /64k.bin on port 80
#                                  by default, plus wrk: an application image of the user's kind
#                                  (recipe: image/http/packages.txt, Dockerfile, default.conf,
#                                  prepare-rootfs.sh, hashed in that order)
#
# It reads the recipes next to itself, so it works the same from this repository and from the NetPerf
# package's image/ folder (`dotnet build -t:NetPerfImages` in a project that references the package runs it).
# Needs root (debootstrap) and the Docker CLI.
#
# Two ways, chosen by NETPERF_IMAGE_BUILD (default auto):
#   dockerfile   docker build with the recipe's Dockerfile (needs a registry for debian:bookworm-slim)
#   debootstrap  debootstrap bookworm from the machine's own Debian mirror + docker import (offline);
#                the Dockerfile's EXPOSE and CMD lines become the imported image's settings
#   auto         debootstrap when the apt sources name a Debian mirror, else dockerfile
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
log() { printf '[image] %s\n' "$*" >&2; }
die() { printf '[image] ERROR: %s\n' "$*" >&2; exit 1; }

image=${1:-tools}
case "$image" in
  tools) dir="$here";      recipe=(packages.txt Dockerfile) ;;
  http)  dir="$here/http"; recipe=(packages.txt Dockerfile default.conf prepare-rootfs.sh) ;;
  *) die "unknown image '$image'; expected 'tools' or 'http'" ;;
esac

hash=$(cd "$dir" && cat "${recipe[@]}" | sha256sum | cut -c1-12)
tag="netperf-$image:$hash"
if docker image inspect "$tag" >/dev/null 2>&1; then
  log "image $tag is present"
  echo "$tag"; exit 0
fi

packages=$(grep -v '^\s*#' "$dir/packages.txt" | grep -v '^\s*$' | paste -sd, -)

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
    log "building $tag from $dir/Dockerfile"
    docker build -q -f "$dir/Dockerfile" -t "$tag" --label "netperf.image=$image" "$dir" >&2
    ;;
  debootstrap)
    [ -n "$mirror" ] || die "no Debian mirror found in /etc/apt/sources*; set NETPERF_IMAGE_BUILD=dockerfile"
    command -v debootstrap >/dev/null || die "debootstrap is not installed; run scripts/setup.sh"
    root=$(mktemp -d "/tmp/netperf-rootfs-$image.XXXXXX")
    trap 'rm -rf "$root"' EXIT
    bootlog=/tmp/netperf-debootstrap-$image.log
    log "debootstrap bookworm ($packages) from $mirror into $root (about 30-60 s)"
    debootstrap --variant=minbase --include="$packages" bookworm "$root" "$mirror" >"$bootlog" 2>&1 \
      || die "debootstrap failed; see $bootlog"
    if [ -f "$dir/prepare-rootfs.sh" ]; then
      sh "$dir/prepare-rootfs.sh" "$root" "$dir" || die "$dir/prepare-rootfs.sh failed on $root"
    fi
    rm -rf "$root"/var/cache/apt/archives/*.deb "$root"/var/lib/apt/lists/*
    # The Dockerfile's EXPOSE and CMD lines, so both ways give the image the same settings.
    changes=()
    while IFS= read -r line; do changes+=(--change "$line"); done < <(grep -E '^(EXPOSE|CMD) ' "$dir/Dockerfile")
    log "importing the root file system as $tag"
    tar -C "$root" -c . | docker import "${changes[@]}" --change "LABEL netperf.image=$image" - "$tag" >/dev/null
    ;;
  *) die "NETPERF_IMAGE_BUILD must be dockerfile, debootstrap or auto (got '$mode')" ;;
esac
docker image inspect "$tag" >/dev/null 2>&1 || die "image $tag was not created"
log "built $tag"
echo "$tag"
