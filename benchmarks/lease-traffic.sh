#!/usr/bin/env bash
# The lease traffic of an idle cluster: what nodes send each other just to keep holding symbols.
#
#   benchmarks/lease-traffic.sh            # 3 nodes, clients holding about 2,000 symbols, almost no quotes
#   NODES=5 UNIVERSE=4000 benchmarks/lease-traffic.sh
#
# Starts the simulator at 1 aggregate per 100 s per symbol (the slowest it goes: the cluster is idle but its upstream
# alive), NODES host processes seeded by node 1 (Release builds, loopback: HTTP 5291.., remoting 4291.., simulator 5290),
# and the load tool over every node's /ws: CLIENTS clients × 50 symbols drawn from UNIVERSE, spread round-robin. Once
# the subscriptions have settled (SETTLE s), it reads every node's GET /admin/wire twice, WINDOW s apart, and prints the
# messages (and bytes) per second each node sent to other nodes, by kind: I interest lease, W want lease, WS status
# watch, SC status change, Q/QB quote updates, A aggregates (the few quotes of an idle market), and the total.
# Writes the table to artifacts/perf/lease-traffic.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${NODES:-3}; universe=${UNIVERSE:-2000}; clients=${CLIENTS:-120}; settle=${SETTLE:-25}; window=${WINDOW:-30}
admin=bench-admin-key-0001
ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=artifacts/perf; mkdir -p "$out"
[[ ${NO_BUILD:-} == 1 ]] || dotnet build AkkaQuotes.sln -c Release -v quiet -nologo >/dev/null
sim_port=5290; http() { echo $((5290 + $1)); }; remoting() { echo $((4290 + $1)); }
bin() { echo "$1/bin/Release/net10.0/$2"; }
# Each process runs as deployed: its content root is its own directory. Started from the repository root, the content
# root would be the repository, and ASP.NET's appsettings watcher would watch all of it, waking on every log line the
# runs write under artifacts/ (measured: ~0.0005 cores per node on three nodes), and appsettings.json would not be read.
root() { echo "ASPNETCORE_CONTENTROOT=$PWD/$1/bin/Release/net10.0"; }
seed="akka.tcp://quotes@127.0.0.1:$(remoting 1)"

pids=(); sim=; load=
cleanup() { kill "${pids[@]}" $sim $load 2>/dev/null; wait 2>/dev/null; }
trap cleanup EXIT

env "$(root src/Quotes.Simulator)" dotnet "$(bin src/Quotes.Simulator Quotes.Simulator.dll)" --urls "http://127.0.0.1:$sim_port" \
  --Simulator:EventsPerSecond=0.01 --Simulator:ApiKeys:0=sim >"$out/lease-traffic.simulator.log" 2>&1 &
sim=$!
for i in $(seq 1 "$nodes"); do
  env Polygon__WebSocketUrl="ws://127.0.0.1:$sim_port" Polygon__RestUrl="http://127.0.0.1:$sim_port" Polygon__ApiKey=sim \
    Auth__ApiKeys__0=load-test-client-key Admin__ApiKey="$admin" Limits__MaxConnections=20000 Limits__MaxConnectionsPerKey=20000 Limits__MaxConnectionsPerIp=0 \
    ASPNETCORE_URLS="http://127.0.0.1:$(http "$i")" \
    Akka__Hostname=127.0.0.1 Akka__PublicHost=127.0.0.1 Akka__Port="$(remoting "$i")" Akka__Seeds__0="$seed" \
    "$(root src/Quotes.Host)" dotnet "$(bin src/Quotes.Host Quotes.Host.dll)" >"$out/lease-traffic.node$i.log" 2>&1 &
  pids+=($!)
  [[ $i == 1 ]] && until curl -sf "http://127.0.0.1:$(http 1)/health/ready" >/dev/null; do sleep 0.5; done
done
admin_get() { curl -sf -H "Authorization: Bearer $admin" "http://127.0.0.1:$(http "$1")$2"; }
deadline=$((SECONDS + 120))
for i in $(seq 1 "$nodes"); do
  until curl -sf "http://127.0.0.1:$(http "$i")/health/ready" >/dev/null \
        && [[ $(admin_get "$i" /admin/cluster | jq '[.data.members[] | select(.status == "Up")] | length') == "$nodes" ]]; do
    (( SECONDS < deadline )) || { echo "node $i not ready in 120 s" >&2; exit 1; }
    sleep 0.5
  done
done

urls=$(for i in $(seq 1 "$nodes"); do printf 'ws://127.0.0.1:%s/ws,' "$(http "$i")"; done); urls=${urls%,}
dotnet "$(bin tools/Quotes.LoadTest Quotes.LoadTest.dll)" --url "$urls" --key load-test-client-key --clients "$clients" --symbols 50 \
  --universe "$universe" --warmup 1 --duration $((settle + window + 30)) --out "$out/lease-traffic.load.json" >"$out/lease-traffic.load.log" 2>&1 &
load=$!
sleep "$settle"

for i in $(seq 1 "$nodes"); do admin_get "$i" /admin/wire >"$out/lease-traffic.wire$i.start.json"; done
sleep "$window"
for i in $(seq 1 "$nodes"); do admin_get "$i" /admin/wire >"$out/lease-traffic.wire$i.end.json"; done
report=$(admin_get 1 /admin/cluster)

{
  echo "nodes $nodes, upstream subscribed $(jq '.data.upstream.subscribed' <<<"$report") symbols;" \
       "per node: $(jq -r '[.data.nodes[] | "\(.symbols) held by \(.clients) clients, \(.entities) entities"] | join("; ")' <<<"$report")"
  echo "messages per second sent to other nodes over $window s (bytes per second in brackets):"
  for i in $(seq 1 "$nodes"); do
    jq -r --slurpfile last "$out/lease-traffic.wire$i.end.json" --arg node "$i" --argjson window "$window" '
      (.data.sent | map({key: .kind, value: .}) | from_entries) as $start
      | ($last[0].data.sent | map(. as $e | ($start[$e.kind] // {messages: 0, bytes: 0}) as $s
          | {kind: $e.kind, rate: (($e.messages - $s.messages) / $window), bytes: (($e.bytes - $s.bytes) / $window)})
          | map(select(.rate > 0))) as $rates
      | "  node \($node): total \($rates | map(.rate) | add // 0 | floor)/s (\($rates | map(.bytes) | add // 0 | floor) B/s): "
        + ($rates | sort_by(-.rate) | map("\(.kind) \(.rate * 10 | floor / 10)") | join(", "))' "$out/lease-traffic.wire$i.start.json"
  done
} | tee "$out/lease-traffic.txt"
