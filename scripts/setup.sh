#!/usr/bin/env bash
# Idempotent machine setup for NetPerf: installs what is missing, starts the Docker engine and
# Open vSwitch when they are not running, waits until they answer, and builds the tools image and
# the HTTP application image when they are absent. Safe to run again and again; every step checks
# before it acts.
#
#   scripts/setup.sh            # everything
#   NETPERF_SKIP_OVS=1 ...      # do not install or start Open vSwitch
#   NETPERF_SKIP_BROWSER=1 ...  # do not install chromium (the report's browser test then fails)
#   NETPERF_SKIP_HTTP_IMAGE=1 ...  # do not build the HTTP application image (nginx + wrk)
#   NETPERF_IMAGE_BUILD=dockerfile|debootstrap|auto  (default auto)
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[setup] %s\n' "$*" >&2; }
die() { printf '[setup] ERROR: %s\n' "$*" >&2; exit 1; }

[ "$(id -u)" -eq 0 ] || die "NetPerf setup needs root (it installs packages, creates veths and OVS bridges). Run: sudo $0"

# ---- packages ------------------------------------------------------------------------------
need=()
command -v dockerd     >/dev/null 2>&1 || need+=(docker.io)
command -v ip          >/dev/null 2>&1 || need+=(iproute2)
command -v ethtool     >/dev/null 2>&1 || need+=(ethtool)
command -v nsenter     >/dev/null 2>&1 || need+=(util-linux)
command -v debootstrap >/dev/null 2>&1 || need+=(debootstrap)
command -v curl        >/dev/null 2>&1 || need+=(curl)
if [ -z "${NETPERF_SKIP_OVS:-}" ]; then
  command -v ovs-vsctl >/dev/null 2>&1 || need+=(openvswitch-switch)
fi
# Debian's chromium: the HTML report's browser test drives it with Playwright (its own download fails here).
if [ -z "${NETPERF_SKIP_BROWSER:-}" ]; then
  command -v chromium >/dev/null 2>&1 || need+=(chromium)
fi
if [ ${#need[@]} -gt 0 ]; then
  log "installing: ${need[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq >/dev/null || log "apt-get update failed; trying the install with the cached lists"
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null \
    || die "apt-get install ${need[*]} failed; install them by hand and rerun."
fi

# ---- Docker engine ---------------------------------------------------------------------------
docker_ok() { timeout 5 docker version --format '{{.Server.Version}}' >/dev/null 2>&1; }
if [ -z "${DOCKER_HOST:-}" ] && ! docker_ok; then
  pidfile=/var/run/docker.pid
  if [ -f "$pidfile" ]; then
    pid=$(cat "$pidfile" 2>/dev/null || true)
    if [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; then
      log "dockerd (pid $pid) is running but not answering yet; waiting"
    else
      log "removing stale $pidfile (pid ${pid:-?} is gone)"
      rm -f "$pidfile"
    fi
  fi
  if [ ! -f "$pidfile" ]; then
    log "starting dockerd (log: /var/log/netperf-dockerd.log)"
    setsid nohup dockerd >/var/log/netperf-dockerd.log 2>&1 < /dev/null &
  fi
  for _ in $(seq 1 60); do docker_ok && break; sleep 1; done
  docker_ok || die "the Docker engine did not answer within 60 s; see /var/log/netperf-dockerd.log"
fi
docker_ok || die "the Docker engine at DOCKER_HOST=${DOCKER_HOST:-unix:///var/run/docker.sock} does not answer"
log "docker engine $(docker version --format '{{.Server.Version}}') is up"

# ---- Open vSwitch ------------------------------------------------------------------------------
if [ -z "${NETPERF_SKIP_OVS:-}" ]; then
  if ! timeout 5 ovs-vsctl --timeout=3 show >/dev/null 2>&1; then
    log "starting Open vSwitch"
    /usr/share/openvswitch/scripts/ovs-ctl start --system-id=random >/var/log/netperf-ovs.log 2>&1 || true
    for _ in $(seq 1 30); do timeout 5 ovs-vsctl --timeout=3 show >/dev/null 2>&1 && break; sleep 1; done
    timeout 5 ovs-vsctl --timeout=3 show >/dev/null 2>&1 \
      || log "WARNING: Open vSwitch did not start (see /var/log/netperf-ovs.log); the Ovs driver will be skipped"
  fi
fi

# ---- single-node swarm (for the Overlay driver, and the manager a second engine joins) -----------
# The swarm advertises 10.214.0.1 on a dummy interface NetPerf owns (npswarm0), not 127.0.0.1: a second engine in its
# own network namespace (placement AcrossNodes) reaches the manager and its VXLAN endpoint there, over a veth each run
# creates. A swarm made by an earlier NetPerf setup on 127.0.0.1 (one node, no services) is made again on the new address.
swarm_addr=10.214.0.1
if [ -z "${NETPERF_SKIP_SWARM:-}" ] && [ -z "${DOCKER_HOST:-}" ]; then
  # A dummy interface where the kernel has the module, else a Linux bridge without ports (only its address is used).
  if ! ip link show npswarm0 >/dev/null 2>&1; then
    { ip link add npswarm0 type dummy 2>/dev/null || ip link add npswarm0 type bridge; } \
      && ip addr add "$swarm_addr/32" dev npswarm0 && ip link set npswarm0 up \
      || log "WARNING: could not create interface npswarm0; placement AcrossNodes will be skipped"
  fi
  has_addr=no
  ip -o -4 addr show dev npswarm0 2>/dev/null | grep -q " $swarm_addr/" && has_addr=yes
  state=$(docker info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null || echo unknown)
  if [ "$has_addr" = yes ] && [ "$state" = active ] && [ "$(docker info --format '{{.Swarm.NodeAddr}}' 2>/dev/null)" = 127.0.0.1 ] \
     && [ "$(docker info --format '{{.Swarm.Nodes}}' 2>/dev/null)" = 1 ] && [ -z "$(docker service ls -q 2>/dev/null)" ]; then
    log "re-initialising NetPerf's single-node swarm on $swarm_addr (it advertised 127.0.0.1, which a second engine cannot reach)"
    docker swarm leave --force >/dev/null 2>&1 && state=inactive
  fi
  if [ "$state" = inactive ]; then
    addr=127.0.0.1
    [ "$has_addr" = yes ] && addr=$swarm_addr
    log "initialising a single-node swarm on $addr (overlay networks)"
    docker swarm init --advertise-addr "$addr" >/dev/null 2>&1 || log "WARNING: docker swarm init failed; the Overlay driver will be skipped"
  fi
  # The routing mesh ('ingress') serves published service ports, which NetPerf never uses (its overlay networks are
  # attachable); its sandbox would keep a veth on docker_gwbridge in the root namespace for as long as the swarm lives.
  if docker network inspect ingress >/dev/null 2>&1; then
    log "removing the swarm's routing-mesh network 'ingress' (unused; it keeps a veth in the root namespace)"
    echo y | docker network rm ingress >/dev/null 2>&1 || log "WARNING: could not remove the swarm's 'ingress' network"
  fi
fi

# ---- images ------------------------------------------------------------------------------------
"$here/scripts/build-image.sh" tools
# The HTTP image stands for a user's own application image (nginx serving on port 80, wrk to load it).
# Only the HTTP scenario needs it, so a failed build warns instead of stopping every other test.
if [ -z "${NETPERF_SKIP_HTTP_IMAGE:-}" ]; then
  "$here/scripts/build-image.sh" http \
    || log "WARNING: building the HTTP image failed (see the [image] lines above); only the HTTP scenario needs it"
fi
