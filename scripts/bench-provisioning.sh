#!/usr/bin/env bash
# Benchmark (not a test): provisioning and teardown time of NetPerf testbeds (Testcontainers, containers created and
# removed in parallel) with N pairs (2N containers) on each driver, against the same containers started and removed with
# the docker CLI in the same run, one by one AND 8 at a time (xargs -P 8).
#
#   bash scripts/bench-provisioning.sh [pair counts="10 50"] [repeats=3]
#
# Writes docs/provisioning-benchmark.md (the table, the machine and the command) and prints it.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
pair_counts=${1:-10 50}
repeats=${2:-3}
"$here/scripts/setup.sh" >/dev/null
dotnet build src/NetPerf.Cli -c Release -v q -nologo >/dev/null
cli="dotnet src/NetPerf.Cli/bin/Release/net10.0/netperf.dll"
image=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^netperf-tools:' | head -n 1)
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
elapsed() { awk -v a="$2" -v b="$1" 'BEGIN{printf "%.3f\n", a-b}'; }
median() { sort -g | awk '{a[NR]=$1} END {if (NR%2) print a[(NR+1)/2]; else printf "%.3f\n", (a[NR/2]+a[NR/2+1])/2}'; }

# The docker CLI: $1 = network, $2 = containers, $3 = parallel calls (1 = one by one). Prints "up down".
cli_run() {
  local network=$1 count=$2 parallel=$3 t0 t1 t2
  t0=$(now)
  seq 1 "$count" | xargs -P "$parallel" -I{} docker run -d --label "netperf.bench=$$" --network "$network" "$image" sleep infinity >"$tmp/ids"
  t1=$(now)
  xargs -P "$parallel" -n 1 docker rm -f <"$tmp/ids" >/dev/null
  t2=$(now)
  [ "$(wc -l <"$tmp/ids")" -eq "$count" ] || { echo "docker run started $(wc -l <"$tmp/ids") of $count containers" >&2; exit 1; }
  echo "$(elapsed "$t0" "$t1") $(elapsed "$t1" "$t2")"
}

docker network create --label "netperf.bench=$$" "$net" >/dev/null
for pairs in $pair_counts; do
  containers=$((2 * pairs))
  for driver in Host Bridge Macvlan Ovs; do
    for r in $(seq 1 "$repeats"); do
      log=$($cli provision --driver "$driver" --pairs "$pairs" 2>&1) || true
      up=$(sed -n 's/^ready: .* in \([0-9.]*\) s$/\1/p' <<<"$log")
      down=$(sed -n 's/^torn down in \([0-9.]*\) s$/\1/p' <<<"$log")
      if [ -z "$up" ] || [ -z "$down" ]; then
        # A failed run is counted and shown in the table, not hidden; its output is kept for the reader.
        echo "netperf $driver $pairs pairs run $r FAILED:" >&2; grep -v '^   at ' <<<"$log" | tail -n 5 >&2
        echo "$driver $pairs pairs run $r: $(grep -v '^   at ' <<<"$log" | grep -v '^\[netperf\]' | grep -A1 -m1 -E 'Unhandled|rror|xception' | tr '\n' ' ' || echo 'no times in the output')" >>"$tmp/failures"
        continue
      fi
      echo "$up" >>"$tmp/$pairs-$driver.up"; echo "$down" >>"$tmp/$pairs-$driver.down"
      echo "netperf $driver $pairs pairs run $r: up $up s, down $down s" >&2
    done
  done
  for kind in host bridge; do
    network=host; [ "$kind" = bridge ] && network=$net
    for parallel in 1 8; do
      for r in $(seq 1 "$repeats"); do
        read -r up down < <(cli_run "$network" "$containers" "$parallel")
        echo "$up" >>"$tmp/$pairs-cli$parallel-$kind.up"; echo "$down" >>"$tmp/$pairs-cli$parallel-$kind.down"
        echo "docker CLI x$parallel $kind $pairs pairs run $r: up $up s, down $down s" >&2
      done
    done
  done
done

{
  echo "# Provisioning benchmark"
  echo
  echo "Measured on $(date -u +%Y-%m-%d) on this machine ($(nproc) cores, $(lscpu | sed -n 's/^Model name: *//p' | head -n 1), kernel $(uname -r), Docker $(docker version --format '{{.Server.Version}}'))"
  echo "with \`bash scripts/bench-provisioning.sh \"$pair_counts\" $repeats\`; median of $repeats runs per cell."
  echo "NetPerf provisions through Testcontainers: the network and all containers in parallel (at most 16 engine calls at"
  echo "once; for Macvlan and Ovs also its veths and OVS bridge), each container started and inspected before the testbed is"
  echo "ready. The docker CLI columns start the same image and command (\`docker run -d ... sleep infinity\`) one at a time"
  echo "(x1) and 8 at a time (\`xargs -P 8\`), then remove them (\`docker rm -f\`) the same way, on the host network and on a"
  echo "user-defined bridge. Macvlan and Ovs have no one-line CLI equivalent (veth parent, OVS ports), so they are compared"
  echo "with the bridge CLI runs. A ratio above 1 means NetPerf was faster."
  echo
  echo "| Pairs | Driver | NetPerf up (s) | NetPerf down (s) | CLI x1 up / down (s) | CLI x8 up / down (s) | up: x1 / NetPerf | up: x8 / NetPerf | down: x1 / NetPerf | down: x8 / NetPerf |"
  echo "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|"
  for pairs in $pair_counts; do
    for driver in Host Bridge Macvlan Ovs; do
      [ -s "$tmp/$pairs-$driver.up" ] || { printf '| %s | %s | failed every run | | | | | | | |\n' "$pairs" "$driver"; continue; }
      up=$(median <"$tmp/$pairs-$driver.up"); down=$(median <"$tmp/$pairs-$driver.down")
      kind=bridge; [ "$driver" = Host ] && kind=host
      u1=$(median <"$tmp/$pairs-cli1-$kind.up"); d1=$(median <"$tmp/$pairs-cli1-$kind.down")
      u8=$(median <"$tmp/$pairs-cli8-$kind.up"); d8=$(median <"$tmp/$pairs-cli8-$kind.down")
      printf '| %s | %s | %.2f | %.2f | %.2f / %.2f | %.2f / %.2f | %.1fx | %.1fx | %.1fx | %.1fx |\n' "$pairs" "$driver" "$up" "$down" "$u1" "$d1" "$u8" "$d8" \
        "$(awk -v a="$u1" -v b="$up" 'BEGIN{print a/b}')" "$(awk -v a="$u8" -v b="$up" 'BEGIN{print a/b}')" \
        "$(awk -v a="$d1" -v b="$down" 'BEGIN{print a/b}')" "$(awk -v a="$d8" -v b="$down" 'BEGIN{print a/b}')"
    done
  done
  echo
  if [ -s "$tmp/failures" ]; then
    echo "Failed NetPerf runs (left out of the medians):"
    echo
    sed 's/^/- /' "$tmp/failures"
    echo
  fi
  echo "Rerun: \`bash scripts/bench-provisioning.sh \"$pair_counts\" $repeats\` (as root; it does its own setup and removes everything it made)."
} >"$out"
cat "$out"
