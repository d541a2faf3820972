using System.Globalization;
using System.Text;
using NetPerf.Workloads.Orchestration;

namespace NetPerf.Workloads.Mesh;

/// <summary>The bash program every node of a <see cref="MeshWorkload"/> runs, and the command that starts it at the barrier.</summary>
/// <remarks>
/// One file, <c>mesh-node.sh</c> in the run directory, shared by all nodes: a header with the run's
/// parameters, then the functions. A node sources it, calls <c>mesh_prepare INDEX</c> (store, listeners,
/// link FIFOs; exits with 90 if any of them fails), waits at the start barrier, then calls <c>mesh_run</c>.
/// Only bash builtins run while records are generated (<c>$EPOCHREALTIME</c>, <c>printf</c>, <c>read -t</c>
/// on a FIFO as a fork-free sleep), so pacing does not depend on fork latency.
/// </remarks>
internal static class MeshNodeProgram
{
    /// <summary>The program's file name in the run directory.</summary>
    public const string FileName = "mesh-node.sh";

    /// <summary>Exit code of a node that could not set up its store or its listeners.</summary>
    public const int SetupFailedExitCode = 90;

    /// <summary>Exit code of a node whose links failed (a listener timed out, a sender failed).</summary>
    public const int LinkFailedExitCode = 4;

    /// <summary>The program text for a run: the parameters of <paramref name="workload"/> and the nodes' addresses.</summary>
    public static string Build(MeshWorkload workload, IReadOnlyList<Node> nodes, string runDirectoryInContainer, int listenerLifetimeSeconds)
    {
        var header = new StringBuilder();
        header.AppendLine("# NetPerf mesh node, generated for one run (see MeshWorkload). Usage (bash):");
        header.AppendLine("#   . mesh-node.sh; mesh_prepare INDEX; <start barrier>; mesh_run");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_dir={Shell.Quote(runDirectoryInContainer)}");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_nodes={nodes.Count}");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_addresses=({string.Join(' ', nodes.Select(n => Shell.Quote(n.Address)))})");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_base_port={workload.BasePort}      # node i hears node j on mesh_base_port + i * mesh_nodes + j");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_records={workload.RecordsPerNode}        # records each node generates");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_rate={workload.RecordsPerMinute}          # records per minute per node");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_batch={workload.BatchSize}           # records per batch sent to every peer");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_size={workload.RecordSizeBytes}           # bytes per record, newline included");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_communicate={(workload.Communicate ? 1 : 0)}");
        header.AppendLine(CultureInfo.InvariantCulture, $"mesh_lifetime={listenerLifetimeSeconds}       # seconds a listener may wait for its peer");
        return header + Body;
    }

    /// <summary>The bash script node <paramref name="index"/> runs: prepare, wait at the barrier, run.</summary>
    public static string NodeScript(StartBarrier barrier, int index) => string.Create(CultureInfo.InvariantCulture,
        $". {Shell.Quote(barrier.InContainer(FileName))} || exit {SetupFailedExitCode}; mesh_prepare {index}; ") + barrier.ClientScript(index, "mesh_run");

    /// <summary>Stops whatever a node left running (its shell, listeners and senders, listed in its <c>pids</c> file).</summary>
    public static string StopScript(StartBarrier barrier, int index) => string.Create(CultureInfo.InvariantCulture,
        $"f={Shell.Quote(barrier.InContainer($"node.{index}/pids"))}; [ -f \"$f\" ] && kill $(cat \"$f\") 2> /dev/null; true");

    private const string Body = """

# Stores: $store/own holds this node's records, $store/from.J those received from node J; each is an
# append-only table, one record per line: origin,sequence,created-at-us,padding.
# Links: one TCP connection per ordered pair of nodes, kept open for the whole run; node J's batches
# for this node arrive on its own listener (nc -l, one connection), so batches never interleave.
shopt -s nullglob
trap '' PIPE   # a broken link must fail a write, not kill the node

# Sleeps $1 microseconds without a fork: read with a timeout on a FIFO nobody writes to.
mesh_sleep_us() {
  local s
  printf -v s '%d.%06d' $(($1 / 1000000)) $(($1 % 1000000))
  read -r -t "$s" -u "$mesh_tick" _ || :
}

mesh_stop() {
  local p
  for p in "${mesh_listeners[@]}" "${mesh_senders[@]}"; do kill "$p" 2> /dev/null; done
}

mesh_fail() {
  echo "mesh-error=$*" >&2
  exit 90
}

# Creates the store and starts one listener per peer; returns once all of them listen.
mesh_prepare() {
  me=$1 store="$mesh_dir/node.$1"
  mesh_listeners=() mesh_senders=() mesh_links=()
  trap mesh_stop EXIT
  mkdir -p "$store" && : > "$store/own" && mkfifo "$store/tick" && exec {mesh_tick}<> "$store/tick" || mesh_fail "cannot create the store in '$store'"
  printf -v mesh_pad '%*s' "$mesh_size" ''
  mesh_pad=${mesh_pad// /x}
  echo "mesh-node=$me nodes=$mesh_nodes records=$mesh_records rate=$mesh_rate batch=$mesh_batch size=$mesh_size communicate=$mesh_communicate"
  echo "mesh-bash=$BASH_VERSION"
  (( mesh_communicate )) || return 0
  local j first=$((mesh_base_port + me * mesh_nodes)) tries listening
  for ((j = 0; j < mesh_nodes; j++)); do
    (( j == me )) && continue
    mkfifo "$store/to.$j" || mesh_fail "cannot create the link fifo '$store/to.$j'"
    timeout "$mesh_lifetime" nc -d -l -p $((first + j)) >> "$store/from.$j" 2> "$store/listener.$j.err" < /dev/null &
    mesh_listeners[j]=$!
  done
  echo "$$ ${mesh_listeners[*]}" > "$store/pids"
  for ((tries = 0; tries < 200; tries++)); do
    listening=$(ss -Hltn "( sport >= :$first and sport < :$((first + mesh_nodes)) )" | wc -l)
    (( listening >= mesh_nodes - 1 )) && return 0
    for j in "${!mesh_listeners[@]}"; do
      kill -0 "${mesh_listeners[j]}" 2> /dev/null || mesh_fail "the listener for node $j on port $((first + j)) exited: $(cat "$store/listener.$j.err")"
    done
    mesh_sleep_us 50000
  done
  mesh_fail "only $listening of $((mesh_nodes - 1)) listeners on ports $first.. were up after 10 s"
}

# Generates the records on schedule (record k is due k * 60 / rate seconds after the start), applies
# each to the own store, sends every full batch to every peer, then waits until every peer closed its
# link (all its records are here) and reports.
mesh_run() {
  local start=$EPOCHREALTIME k=0 b=0 due now rec batch='' j fd own failures=0 missing=0 status
  local t0=${start/./}
  echo "mesh-start=$start"
  for j in "${!mesh_listeners[@]}"; do
    nc -N "${mesh_addresses[j]}" $((mesh_base_port + j * mesh_nodes + me)) < "$store/to.$j" > /dev/null 2> "$store/sender.$j.err" &
    mesh_senders[j]=$!
    exec {fd}> "$store/to.$j"
    mesh_links[j]=$fd
  done
  echo "$$ ${mesh_listeners[*]} ${mesh_senders[*]}" > "$store/pids"
  exec {own}>> "$store/own"
  while (( k < mesh_records )); do
    k=$((k + 1))
    due=$((t0 + (k * 60000000 + mesh_rate - 1) / mesh_rate))
    while now=${EPOCHREALTIME/./}; (( now < due )); do mesh_sleep_us $((due - now)); done
    printf -v rec '%d,%d,%d,' "$me" "$k" "$now"
    rec+=${mesh_pad:0:mesh_size - 1 - ${#rec}}$'\n'
    printf '%s' "$rec" >&"$own"
    batch+=$rec
    if (( k % mesh_batch == 0 || k == mesh_records )); then
      b=$((b + 1))
      for j in "${!mesh_links[@]}"; do
        printf '%s' "$batch" >&"${mesh_links[j]}" || failures=$((failures + 1))
      done
      batch=''
    fi
  done
  local local_done=$EPOCHREALTIME
  exec {own}>&-
  for j in "${!mesh_links[@]}"; do
    fd=${mesh_links[j]}
    exec {fd}>&-
  done
  for j in "${!mesh_listeners[@]}"; do
    wait "${mesh_listeners[j]}"
    status=$?
    (( status == 0 )) || { echo "mesh-listener=$j status=$status"; missing=$((missing + 1)); }
  done
  local all=$EPOCHREALTIME
  for j in "${!mesh_senders[@]}"; do
    wait "${mesh_senders[j]}"
    status=$?
    (( status == 0 )) || { echo "mesh-sender=$j status=$status"; failures=$((failures + 1)); }
  done
  echo "mesh-local-done=$local_done"
  (( missing )) || echo "mesh-all-received=$all"
  echo "mesh-batches=$b failures=$failures"
  set -- $(cat "$store/own" "$store"/from.* | wc -lc)
  echo "mesh-store records=$1 bytes=$2 duplicates=$(cut -d, -f1,2 "$store/own" "$store"/from.* | sort | uniq -d | wc -l)"
  cut -d, -f1 "$store/own" "$store"/from.* | sort | uniq -c | while read -r n o; do echo "mesh-origin=$o records=$n"; done
  (( missing == 0 && failures == 0 )) || exit 4   # MeshNodeProgram.LinkFailedExitCode
}
""";
}
