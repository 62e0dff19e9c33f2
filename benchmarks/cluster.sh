#!/usr/bin/env bash
# CPU cost of a delivered quote on a cluster of N host processes, with the same total load whatever N is.
#
#   benchmarks/cluster.sh 1        # one node (a one-member cluster that seeds itself: the same settings as every N)
#   benchmarks/cluster.sh 3        # three nodes, all seeded by node 1, clients spread round-robin over the nodes
#   PERF=1 benchmarks/cluster.sh 3 # also `perf record -g` the nodes over the window (needs perf; JIT perf maps on),
#                                  # broken down by benchmarks/perf-breakdown.py into cluster3.perf.txt
#   WAKE=1 benchmarks/cluster.sh 3 # also record which thread wakes which over the window (perf's sched_waking, with the
#                                  # waker's stack), broken down by benchmarks/wake-breakdown.py into cluster3.wake.txt
#   SEPARATE=1 benchmarks/cluster.sh 3  # three one-member clusters that share nothing (each seeds itself, has its own
#                                  # upstream key and a third of the clients): what three processes cost with no cluster
#                                  # at all, the floor for any way of joining them
#   SCENARIO=c3-coalesce50 Quotes__SendCoalescing=00:00:00.050 benchmarks/cluster.sh 3   # other settings: the nodes
#                                  # inherit the environment; SCENARIO names the outputs
#
# Starts the simulator (2 events/s per symbol, send-time stamping), N nodes (Release builds, loopback: HTTP 5191..,
# remoting 4191.., simulator 5190), waits until every node is ready and sees N Up members (1 with SEPARATE=1), samples the nodes' idle CPU
# for IDLE seconds (no client), then runs tools/Quotes.LoadTest over every node's /ws: 600 clients × 50 symbols of 500
# (about 58.5k quotes/s delivered), WARMUP s of warm-up, DURATION s measured. The load tool reads each process's
# utime+stime (/proc/PID/stat) as its window opens and closes; this script reads every node thread's at the same moments.
# Environment overrides: CLIENTS SYMBOLS UNIVERSE RATE WARMUP DURATION IDLE SETTLE (s between ready and the idle sample),
# NO_BUILD=1 to skip the build. All 600 clients use one key, so its symbol churn budget is raised: in the first seconds
# each node counts the same 500 symbols as new for it (Limits:NewSymbolsPerKeyPerMinute, 1,000 by default), which refused
# some 30 of 600 subscriptions on three nodes. Other work on the machine changes batching (quotes per frame) and so the figures: the
# report says how busy the machine was outside these processes over the window, and warns above 0.2 cores.
#
# Prints nodes, delivered quotes/s, frames/s, host CPU cores in total and per node, µs of host CPU per delivered quote,
# and idle cores; writes them to artifacts/perf/cluster<N>.json (separate<N>.json with SEPARATE=1), with the load tool's
# report (cluster<N>.load.json), each node's CPU by thread name (cluster<N>.threads.txt), node 1's admin view of the
# cluster during the run (cluster<N>.admin.json; with SEPARATE=1 only node 1's own one-member cluster) and the logs beside them.
set -euo pipefail
shopt -s lastpipe   # the loop reading the load tool's output runs in this shell (perf_pid, samples)
cd "$(dirname "$0")/.."
nodes=${1:?usage: benchmarks/cluster.sh NODES (1..9)}
[[ $nodes =~ ^[1-9]$ ]] || { echo "NODES must be 1..9" >&2; exit 2; }
separate=; [[ ${SEPARATE:-} == 1 ]] && separate=1
kind=cluster; [[ -n $separate ]] && kind=separate
scenario=${SCENARIO:-$kind$nodes}
clients=${CLIENTS:-600}; symbols=${SYMBOLS:-50}; universe=${UNIVERSE:-500}; rate=${RATE:-2}
warmup=${WARMUP:-20}; duration=${DURATION:-30}; idle=${IDLE:-10}; settle=${SETTLE:-60}
admin=bench-admin-key-0001; tck=$(getconf CLK_TCK)

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=artifacts/perf; mkdir -p "$out"
[[ ${NO_BUILD:-} == 1 ]] || dotnet build AkkaQuotes.sln -c Release -v quiet -nologo >/dev/null
sim_port=5190; http() { echo $((5190 + $1)); }; remoting() { echo $((4190 + $1)); }
bin() { echo "$1/bin/Release/net10.0/$2"; }
# Each process runs as deployed: its content root is its own directory. Started from the repository root, the content
# root would be the repository, and ASP.NET's appsettings watcher would watch all of it, waking on every log line the
# runs write under artifacts/ (measured: ~0.0005 cores per node on three nodes), and appsettings.json would not be read.
root() { echo "ASPNETCORE_CONTENTROOT=$PWD/$1/bin/Release/net10.0"; }
# Every node is seeded by node 1 and uses upstream key sim1; with SEPARATE=1 node i seeds itself (a one-member cluster)
# and has a key of its own, simi, so that each holds its own upstream connection.
own() { if [[ -n $separate ]]; then echo "$1"; else echo 1; fi; }
seed() { echo "akka.tcp://quotes@127.0.0.1:$(remoting "$(own "$1")")"; }
members=$nodes; [[ -n $separate ]] && members=1

pids=(); sim=; perf_pid=; machine_start=; machine_end=; remoting_start="0 0"; remoting_end="0 0"
cleanup() {
  [[ -n $perf_pid ]] && kill -INT "$perf_pid" 2>/dev/null
  kill "${pids[@]}" $sim 2>/dev/null
  wait 2>/dev/null
}
trap cleanup EXIT
for port in $sim_port $(for i in $(seq 1 "$nodes"); do http "$i"; remoting "$i"; done); do
  if ss -Hltn "sport = :$port" | grep -q .; then echo "port $port is in use: another run?" >&2; exit 1; fi
done
echo "load before starting: $(cut -d' ' -f1-3 /proc/loadavg)"

env "$(root src/Quotes.Simulator)" dotnet "$(bin src/Quotes.Simulator Quotes.Simulator.dll)" --urls "http://127.0.0.1:$sim_port" \
  --Simulator:EventsPerSecond="$rate" --Simulator:StampSendTime=true $(for i in $(seq 1 "$nodes"); do printf -- '--Simulator:ApiKeys:%d=sim%d ' $((i - 1)) "$i"; done) >"$out/$scenario.simulator.log" 2>&1 &
sim=$!

perf_env=()
[[ ${PERF:-} == 1 || ${WAKE:-} == 1 ]] && perf_env=(DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0)
for i in $(seq 1 "$nodes"); do
  env "${perf_env[@]}" \
    Polygon__WebSocketUrl="ws://127.0.0.1:$sim_port" Polygon__RestUrl="http://127.0.0.1:$sim_port" Polygon__ApiKey="sim$(own "$i")" \
    Auth__ApiKeys__0=load-test-client-key Admin__ApiKey=$admin Limits__MaxConnections=20000 Limits__MaxConnectionsPerKey=20000 Limits__MaxConnectionsPerIp=0 Limits__NewSymbolsPerKeyPerMinute=100000 \
    ASPNETCORE_URLS="http://127.0.0.1:$(http "$i")" \
    Akka__Hostname=127.0.0.1 Akka__PublicHost=127.0.0.1 Akka__Port="$(remoting "$i")" Akka__Seeds__0="$(seed "$i")" \
    "$(root src/Quotes.Host)" dotnet "$(bin src/Quotes.Host Quotes.Host.dll)" >"$out/$scenario.node$i.log" 2>&1 &
  pids+=($!)
  # The seed first: the others join it rather than racing it.
  [[ $i == 1 ]] && until curl -sf "http://127.0.0.1:$(http 1)/health/ready" >/dev/null; do sleep 0.5; done
done

deadline=$((SECONDS + 120))
cluster_json() { curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:$(http "$1")/admin/cluster"; }
for i in $(seq 1 "$nodes"); do
  until curl -sf "http://127.0.0.1:$(http "$i")/health/ready" >/dev/null \
        && [[ $(cluster_json "$i" | jq '[.data.members[] | select(.status == "Up")] | length') == "$members" ]]; do
    (( SECONDS < deadline )) || { echo "node $i not ready or not seeing $members Up members in 120 s" >&2; exit 1; }
    sleep 0.5
  done
done
echo "$nodes node(s) ready, $members Up members seen by each: pids ${pids[*]}"

ticks() { awk '{ sub(/^.*\) /, ""); print $12 + $13 }' "/proc/$1/stat"; }   # utime + stime of a process
# Every thread of every node: node tid name ticks (the thread name is at most 15 characters; spaces become _).
thread_ticks() {
  local n=0 pid
  for pid in "${pids[@]}"; do
    n=$((n + 1))
    for t in /proc/"$pid"/task/*; do
      [[ -r $t/stat ]] || continue
      awk -v n="$n" -v tid="${t##*/}" '{ name = $0; sub(/^[^(]*\(/, "", name); sub(/\) [^)]*$/, "", name); gsub(/ /, "_", name)
        rest = $0; sub(/^.*\) /, "", rest); split(rest, f, " "); print n, tid, name, f[12] + f[13] }' "$t/stat" 2>/dev/null || true
    done
  done
}

# Control: the nodes with no client at all, after SETTLE s (60 by default) for start-up work to end: the tiered JIT
# still compiles for some 30 s after a start and took 0.007-0.010 cores per node in a 15 s settle.
sleep "$settle"
declare -a idle_start; for i in "${!pids[@]}"; do idle_start[i]=$(ticks "${pids[i]}"); done
thread_ticks >"$out/$scenario.idle-threads.start"
sleep "$idle"
thread_ticks >"$out/$scenario.idle-threads.end"
idle_cores=(); for i in "${!pids[@]}"; do idle_cores+=("$(awk -v a="${idle_start[i]}" -v b="$(ticks "${pids[i]}")" -v t="$tck" -v s="$idle" 'BEGIN { printf "%.3f", (b - a) / t / s }')"); done
echo "idle (no client, $idle s after $settle s settling): cores per node ${idle_cores[*]}"

urls=$(for i in $(seq 1 "$nodes"); do printf 'ws://127.0.0.1:%s/ws,' "$(http "$i")"; done); urls=${urls%,}
all_pids=$(IFS=,; echo "${pids[*]},$sim,self")
# All cores, in ticks: busy (user nice system irq softirq), softirq (loopback TCP is mostly processed there, and not always
# charged to a process), steal (another guest on the same host).
machine() { awk '/^cpu / { print $2 + $3 + $4 + $7 + $8, $8, $9 }' /proc/stat; }
# Remoting traffic between the nodes: bytes and data segments sent, summed over both ends of every connection to a
# remoting port (each end counts only what it sent, so nothing is counted twice). A connection opened or closed inside
# the window is counted from or to zero.
remoting_sent() {
  ss -tinH state established "( sport >= :$(remoting 1) and sport <= :$(remoting "$nodes") ) or ( dport >= :$(remoting 1) and dport <= :$(remoting "$nodes") )" |
    awk '{ for (i = 1; i <= NF; i++) { if ($i ~ /^bytes_sent:/) { split($i, a, ":"); b += a[2] } if ($i ~ /^data_segs_out:/) { split($i, a, ":"); s += a[2] } } }
         END { print b + 0, s + 0 }'
}
dotnet "$(bin tools/Quotes.LoadTest Quotes.LoadTest.dll)" --url "$urls" --key load-test-client-key \
  --clients "$clients" --symbols "$symbols" --universe "$universe" --warmup "$warmup" --duration "$duration" \
  --cpu-pids "$all_pids" --clk-tck "$tck" --out "$out/$scenario.load.json" | while IFS= read -r line; do
  case $line in
    connected)
      echo "$line"
      # Where the clients, shards and upstream are, as each node's admin endpoint sees it (before the window).
      ( sleep $(( warmup > 10 ? warmup - 5 : warmup / 2 )); cluster_json 1 >"$out/$scenario.admin.json" || true ) & ;;
    "window start")
      echo "$line"; thread_ticks >"$out/$scenario.threads.start"; machine_start=$(machine); remoting_start=$(remoting_sent)
      if [[ ${PERF:-} == 1 ]]; then
        perf record -F 499 -g -o "$out/$scenario.perf.data" -p "$(IFS=,; echo "${pids[*]}")" -- sleep "$duration" \
          >"$out/$scenario.perf.log" 2>&1 &
        perf_pid=$!
      elif [[ ${WAKE:-} == 1 ]]; then
        perf record -e sched:sched_waking -g -o "$out/$scenario.wake.data" -p "$(IFS=,; echo "${pids[*]}")" -- sleep "$duration" \
          >"$out/$scenario.wake.log" 2>&1 &
        perf_pid=$!
      fi ;;
    "window end") echo "$line"; machine_end=$(machine); remoting_end=$(remoting_sent); thread_ticks >"$out/$scenario.threads.end" ;;
    *) echo "$line" ;;
  esac
done
[[ -n $perf_pid ]] && { wait "$perf_pid" 2>/dev/null || true; perf_pid=; }

report=$out/$scenario.load.json
seconds=$(jq .seconds "$report")
# Per node thread names, CPU over a window, largest first; numbered names (pool threads) grouped.
thread_table() {
  awk -v s="$3" -v t="$tck" '
    FNR == NR { start[$1 " " $2] = $4; next }
    { key = $1 " " $2; name = $3; sub(/[_#]?[0-9]+$/, "", name)
      d = $4 - ((key in start) ? start[key] : 0); cpu[$1 " " name] += d; count[$1 " " name]++ }
    END { for (k in cpu) if (cpu[k] > 0) { split(k, p, " "); printf "node%s %-18s %3d threads %7.3f cores\n", p[1], p[2], count[k], cpu[k] / t / s } }' \
    "$1" "$2" | sort -k1,1 -k5,5nr
}
{ echo "# under load, $seconds s window"; thread_table "$out/$scenario.threads.start" "$out/$scenario.threads.end" "$seconds"
  echo "# idle, no client, $idle s"; thread_table "$out/$scenario.idle-threads.start" "$out/$scenario.idle-threads.end" "$idle"
} >"$out/$scenario.threads.txt"

machine_cores() { awk -v a="$machine_start" -v b="$machine_end" -v t="$tck" -v s="$seconds" -v i="$1" \
  'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.3f", (y[i] - x[i]) / t / s }'; }
remoting_rate() { awk -v a="$remoting_start" -v b="$remoting_end" -v s="$seconds" -v i="$1" \
  'BEGIN { split(a, x, " "); split(b, y, " "); printf "%.0f", (y[i] - x[i]) / s }'; }
jq --argjson remotingBytes "$(remoting_rate 1)" --argjson remotingSegments "$(remoting_rate 2)" --arg scenario "$scenario" --argjson nodes "$nodes" --argjson rate "$rate" --argjson idle "$idle" --argjson idleCores "[$(IFS=,; echo "${idle_cores[*]}")]" \
   --argjson sim "$sim" --argjson machineBusy "$(machine_cores 1)" --argjson softirq "$(machine_cores 2)" --argjson steal "$(machine_cores 3)" --argjson cpus "$(nproc)" --slurpfile admin <(cat "$out/$scenario.admin.json" 2>/dev/null || echo null) '
  (.cpu[:$nodes]) as $hosts
  | ($hosts | map(.cpuSeconds) | add) as $cpu
  | {
      scenario: $scenario, nodes: $nodes, clients, symbolsPerClient, universe, eventsPerSecondPerSymbol: $rate,
      seconds, quotes, quotesPerSecond, frames, framesPerSecond, quotesPerFrame, seqGaps, errors, disconnects, p50Ms, p99Ms,
      hostCpuSeconds: $cpu, hostCores: (($cpu / .seconds) * 1000 | round / 1000),
      microsecondsCpuPerQuote: (($cpu * 1e6 / .quotes) * 100 | round / 100),
      microsecondsCpuPerFrame: (($cpu * 1e6 / .frames) * 100 | round / 100),
      perNode: [range(0; $nodes) as $i | {
        node: ($i + 1), pid: $hosts[$i].pid, cores: $hosts[$i].cores, idleCores: $idleCores[$i],
        clients: .perUrl[$i].clients, quotesPerSecond: .perUrl[$i].quotesPerSecond,
        framesPerSecond: .perUrl[$i].framesPerSecond, quotesPerFrame: .perUrl[$i].quotesPerFrame }],
      idleSeconds: $idle, idleCoresTotal: ($idleCores | add * 1000 | round / 1000),
      simulatorCores: .cpu[$nodes].cores, loadToolCores: .cpu[$nodes + 1].cores,
      remotingBytesPerSecond: $remotingBytes, remotingSegmentsPerSecond: $remotingSegments,
      machineBusyCores: $machineBusy, cpuCount: $cpus, softirqCores: $softirq, stealCores: $steal,
      otherCores: (($machineBusy - (.cpu | map(.cores) | add)) * 1000 | round / 1000),
      admin: ($admin[0].data // null | if . then { upstream: .upstream.node, nodes: [.nodes[] | { address, shards, entities, clients }] } else null end)
    }' "$report" >"$out/$scenario.json"

jq -r '"nodes \(.nodes): \(.quotesPerSecond) quotes/s delivered, \(.framesPerSecond) frames/s (\(.quotesPerFrame) quotes/frame), gaps \(.seqGaps), errors \(.errors), disconnects \(.disconnects), p50 \(.p50Ms) ms, p99 \(.p99Ms) ms",
       "host CPU \(.hostCores) cores in total over \(.seconds) s: \(.microsecondsCpuPerQuote) µs per delivered quote, \(.microsecondsCpuPerFrame) µs per frame",
       "remoting between nodes: \(.remotingBytesPerSecond) bytes/s in \(.remotingSegmentsPerSecond) TCP data segments/s (sent, all nodes)",
       (.perNode[] | "  node \(.node): \(.cores) cores (idle \(.idleCores)), \(.clients) clients, \(.quotesPerSecond) quotes/s, \(.framesPerSecond) frames/s, \(.quotesPerFrame) quotes/frame"),
       "idle, no client: \(.idleCoresTotal) cores for all nodes. Over the window: simulator \(.simulatorCores) cores, load tool \(.loadToolCores), machine busy \(.machineBusyCores) of \(.cpuCount) (\(.otherCores) outside these processes; softirq \(.softirqCores), steal \(.stealCores))",
       (if .admin then "admin view: upstream on \(.admin.upstream); " + ([.admin.nodes[] | "\(.address) \(.shards) shards \(.entities) entities \(.clients) clients"] | join("; ")) else "admin view: none" end)' \
  "$out/$scenario.json" | tee "$out/$scenario.txt"
jq -r 'if .otherCores > 0.2 then "WARNING: \(.otherCores) cores busy outside these processes over the window: another run? Repeat on a quiet machine." else empty end' \
  "$out/$scenario.json" | tee -a "$out/$scenario.txt"
echo "per-thread CPU: $out/$scenario.threads.txt"
if [[ ${PERF:-} == 1 ]]; then
  benchmarks/perf-breakdown.py "$out/$scenario.perf.data" "$seconds" "$(IFS=,; echo "${pids[*]}")" --detail >"$out/$scenario.perf.txt"
  head -12 "$out/$scenario.perf.txt"; echo "perf breakdown: $out/$scenario.perf.txt"
elif [[ ${WAKE:-} == 1 ]]; then
  benchmarks/wake-breakdown.py "$out/$scenario.wake.data" "$seconds" --stacks 3 >"$out/$scenario.wake.txt"
  head -14 "$out/$scenario.wake.txt"; echo "wake-ups: $out/$scenario.wake.txt"
fi
