#!/usr/bin/env bash
# Benchmark (not a test): provisioning and teardown time of NetPerf testbeds with N pairs (2N containers,
# created and removed in parallel through the engine API) on each driver, against starting and removing the
# same containers one by one with the docker CLI in the same run.
#
#   bash scripts/bench-provisioning.sh [pairs=50] [repeats=3]
#
# Writes docs/provisioning-benchmark.md (the table and the command) and prints it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
pairs=${1:-50}
repeats=${2:-3}
"$here/scripts/setup.sh" >/dev/null
dotnet build src/NetPerf.Cli -c Release -v q -nologo >/dev/null
cli="dotnet src/NetPerf.Cli/bin/Release/net10.0/netperf.dll"
image=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^netperf-tools:' | head -n 1)
containers=$((2 * pairs))
out=docs/provisioning-benchmark.md
tmp=$(mktemp -d)
net="npbench$$"
cleanup() {
  docker ps -aq --filter "label=netperf.bench=$$" | xargs -r docker rm -f >/dev/null 2>&1 || true
  docker network rm "$net" >/dev/null 2>&1 || true
  rm -rf "$tmp"
}
trap cleanup EXIT INT TERM

now() { date +%s.%N; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# NetPerf testbeds, parallel through the engine API.
for driver in Host Bridge Macvlan Ovs; do
  for r in $(seq 1 "$repeats"); do
    log=$($cli provision --driver "$driver" --pairs "$pairs")
    up=$(sed -n 's/^ready: .* in \([0-9.]*\) s$/\1/p' <<<"$log")
    down=$(sed -n 's/^torn down in \([0-9.]*\) s$/\1/p' <<<"$log")
    [ -n "$up" ] && [ -n "$down" ] || { echo "could not read the times of '$cli provision --driver $driver':"; echo "$log"; exit 1; }
    echo "$up" >>"$tmp/$driver.up"; echo "$down" >>"$tmp/$driver.down"
    echo "netperf $driver run $r: up $up s, down $down s" >&2
  done
done

# The docker CLI, one container at a time, same image and command (host network and a user-defined bridge).
cli_run() { # $1 = network name
  local t0 t1 t2 ids=()
  t0=$(now)
  for i in $(seq 1 "$containers"); do
    ids+=("$(docker run -d --label "netperf.bench=$$" --network "$1" "$image" sleep infinity)")
  done
  t1=$(now)
  for id in "${ids[@]}"; do docker rm -f "$id" >/dev/null; done
  t2=$(now)
  echo "$(awk -v a="$t1" -v b="$t0" "BEGIN{print a-b}") $(awk -v a="$t2" -v b="$t1" "BEGIN{print a-b}")"
}
docker network create --label "netperf.bench=$$" "$net" >/dev/null
for kind in host bridge; do
  network=host; [ "$kind" = bridge ] && network=$net
  for r in $(seq 1 "$repeats"); do
    read -r up down < <(cli_run "$network")
    echo "$up" >>"$tmp/cli-$kind.up"; echo "$down" >>"$tmp/cli-$kind.down"
    echo "docker CLI $kind run $r: up $up s, down $down s" >&2
  done
done

cli_bridge_up=$(median <"$tmp/cli-bridge.up"); cli_bridge_down=$(median <"$tmp/cli-bridge.down")
cli_host_up=$(median <"$tmp/cli-host.up"); cli_host_down=$(median <"$tmp/cli-host.down")
{
  echo "# Provisioning benchmark"
  echo
  echo "Measured on $(date -u +%Y-%m-%d) on this machine ($(nproc) cores, kernel $(uname -r), Docker $(docker version --format '{{.Server.Version}}'))"
  echo "with \`bash scripts/bench-provisioning.sh $pairs $repeats\`: $pairs pairs = $containers containers, median of $repeats runs."
  echo "NetPerf creates the network and all containers in parallel through the engine API (and, for Macvlan and Ovs,"
  echo "its veths and OVS bridge); the docker CLI column starts the same image and command one container at a time"
  echo "(\`docker run -d\`, then \`docker rm -f\` one by one) on the host network and on a user-defined bridge."
  echo "Macvlan and Ovs have no one-line CLI equivalent (veth parent, OVS ports), so they are compared with the bridge CLI run."
  echo
  echo "| Driver | NetPerf up (s) | NetPerf down (s) | docker CLI up (s) | docker CLI down (s) | speed-up up | speed-up down |"
  echo "|---|---:|---:|---:|---:|---:|---:|"
  for driver in Host Bridge Macvlan Ovs; do
    up=$(median <"$tmp/$driver.up"); down=$(median <"$tmp/$driver.down")
    if [ "$driver" = Host ]; then cu=$cli_host_up; cd_=$cli_host_down; else cu=$cli_bridge_up; cd_=$cli_bridge_down; fi
    printf '| %s | %.2f | %.2f | %.2f | %.2f | %.1fx | %.1fx |\n' "$driver" "$up" "$down" "$cu" "$cd_" \
      "$(awk -v a="$cu" -v b="$up" "BEGIN{print a/b}")" "$(awk -v a="$cd_" -v b="$down" "BEGIN{print a/b}")"
  done
  echo
  echo "Rerun: \`bash scripts/bench-provisioning.sh $pairs $repeats\` (as root; it does its own setup and removes everything it made)."
} >"$out"
cat "$out"
