#!/usr/bin/env bash
# Churn soak: a 3-node cluster on the built-in simulator (1 event/s per symbol), 60 steady clients and 1-3 short-lived
# churn clients a second (benchmarks/churn-soak.mjs), node 3 stopped (SIGTERM) and restarted after 30 s midway, and a
# sample of every node (RSS, threads, /admin/cluster, /metrics, WRN/ERR lines) every 2 minutes into $OUT/samples.
#   SOAK_MIN=25 benchmarks/churn-soak.sh
# Ports: simulator 6190, HTTP 6191-6193, remoting 4291-4293. Builds Release first unless NO_BUILD=1. Needs node (with
# `npm ci` done in clients/js for its `ws` package), jq, curl and ss. Writes into OUT (default artifacts/soak/<UTC time>).
# Timeline (minutes): 0 clients start; RESTART_AT node 3 SIGTERM, +30 s restart; SOAK_MIN-4 churn stops;
# SOAK_MIN-2.5 sample, SOAK_MIN-2 steady clients close; SOAK_MIN final sample (nothing held: upstream and entities should drain).
set -uo pipefail
cd "$(dirname "$0")/.."
OUT=${OUT:-artifacts/soak/$(date -u +%Y%m%dT%H%M%S)}; SOAK_MIN=${SOAK_MIN:-25}; RESTART_AT=${RESTART_AT:-12}
[[ -e $OUT && -n $(ls -A "$OUT" 2>/dev/null) ]] && { echo "$OUT is not empty: a rerun would mix its logs" >&2; exit 1; }
mkdir -p "$OUT/samples"
[[ ${NO_BUILD:-} == 1 ]] || dotnet build AkkaQuotes.sln -c Release -v quiet -nologo >/dev/null || exit 1
[[ -d clients/js/node_modules/ws ]] || { echo "run npm ci in clients/js first (the client needs its ws package)" >&2; exit 1; }
admin=soak-admin-key-0001; ckey=soak-client-key-00000001
sim_port=6190; http() { echo $((6190 + $1)); }; remoting() { echo $((4290 + $1)); }
seed="akka.tcp://quotes@127.0.0.1:$(remoting 1)"
ulimit -n 65536 2>/dev/null || true

declare -A pids; sim=; client=
echo "$$" >"$OUT/script.pid"
cleanup() {
  [[ -n $client ]] && kill -TERM "$client" 2>/dev/null
  sleep 1
  for i in 1 2 3; do [[ -n ${pids[$i]:-} ]] && kill "${pids[$i]}" 2>/dev/null; done
  [[ -n $sim ]] && kill "$sim" 2>/dev/null
  wait 2>/dev/null
  echo "$(date -u +%T) cleaned up"
}
trap cleanup EXIT
for port in $sim_port 6191 6192 6193 4291 4292 4293; do
  if ss -Hltn "sport = :$port" | grep -q .; then echo "port $port is in use" >&2; exit 1; fi
done

env ASPNETCORE_CONTENTROOT="$PWD/src/Quotes.Simulator/bin/Release/net10.0" dotnet src/Quotes.Simulator/bin/Release/net10.0/Quotes.Simulator.dll \
  --urls "http://127.0.0.1:$sim_port" --Simulator:EventsPerSecond=1 --Simulator:ApiKeys:0=sim >"$OUT/simulator.log" 2>&1 &
sim=$!; echo "sim $sim" >"$OUT/pids"

start_node() {
  local i=$1
  env Polygon__WebSocketUrl="ws://127.0.0.1:$sim_port" Polygon__RestUrl="http://127.0.0.1:$sim_port" Polygon__ApiKey=sim \
    Auth__ApiKeys__0=$ckey Admin__ApiKey=$admin Limits__MaxConnections=20000 Limits__MaxConnectionsPerKey=20000 \
    Limits__MaxConnectionsPerIp=0 Limits__NewSymbolsPerKeyPerMinute=100000 \
    ASPNETCORE_URLS="http://127.0.0.1:$(http "$i")" \
    Akka__Hostname=127.0.0.1 Akka__PublicHost=127.0.0.1 Akka__Port="$(remoting "$i")" Akka__Seeds__0="$seed" \
    ASPNETCORE_CONTENTROOT="$PWD/src/Quotes.Host/bin/Release/net10.0" dotnet src/Quotes.Host/bin/Release/net10.0/Quotes.Host.dll >>"$OUT/node$i.log" 2>&1 &
  pids[$i]=$!; echo "node$i ${pids[$i]} $(date -u +%T)" >>"$OUT/pids"
}
cluster_json() { curl -sf -m 5 -H "Authorization: Bearer $admin" "http://127.0.0.1:$(http "$1")/admin/cluster"; }
wait_ready() {
  local deadline=$((SECONDS + 120))
  for i in "$@"; do
    until curl -sf -m 3 "http://127.0.0.1:$(http "$i")/health/ready" >/dev/null \
          && [[ $(cluster_json "$i" | jq '[.data.members[] | select(.status == "Up")] | length') == 3 ]]; do
      (( SECONDS < deadline )) || { echo "node $i not ready in 120 s" >&2; return 1; }
      sleep 1
    done
  done
}
for i in 1 2 3; do
  start_node "$i"
  if [[ $i == 1 ]]; then
    deadline=$((SECONDS + 120))
    until curl -sf "http://127.0.0.1:$(http 1)/health/ready" >/dev/null; do
      kill -0 "${pids[1]}" 2>/dev/null && (( SECONDS < deadline )) || { echo "node 1 did not get ready (see $OUT/node1.log)" >&2; exit 1; }
      sleep 0.5
    done
  fi
done
wait_ready 1 2 3 || exit 1
echo "$(date -u +%T) cluster ready: ${pids[*]} sim $sim"

n=0
sample() {
  local tag=$1 dir; dir="$OUT/samples/$(printf %02d $n)-$tag"; n=$((n + 1)); mkdir -p "$dir"
  cp "$OUT/held.json" "$dir/held.json" 2>/dev/null
  for i in 1 2 3; do
    local pid=${pids[$i]}
    {
      echo "time $(date -u +%FT%T)"
      echo "pid $pid"
      echo "rss_kb $(awk '/VmRSS/ {print $2}' /proc/"$pid"/status 2>/dev/null)"
      echo "threads $(awk '/Threads/ {print $2}' /proc/"$pid"/status 2>/dev/null)"
      echo "fds $(ls /proc/"$pid"/fd 2>/dev/null | wc -l)"
      echo "cpu_ticks $(awk '{ sub(/^.*\) /, ""); print $12 + $13 }' /proc/"$pid"/stat 2>/dev/null)"
      echo "wrn $(grep -c -E ' WRN\]' "$OUT/node$i.log")"
      echo "err $(grep -c -E ' (ERR|FTL)\]' "$OUT/node$i.log")"
    } >"$dir/node$i.txt"
    cluster_json "$i" >"$dir/node$i.cluster.json"
    curl -sf -m 5 -H "Authorization: Bearer $admin" "http://127.0.0.1:$(http "$i")/metrics" >"$dir/node$i.metrics.txt"
  done
  echo "$(date -u +%T) sample $dir"
}

client_start=$SECONDS
node benchmarks/churn-soak.mjs --ports 6191,6192,6193 --key $ckey --out "$OUT" >"$OUT/client.log" 2>&1 &
client=$!; echo "client $client" >>"$OUT/pids"
at() { local s; s=$(awk -v m="$1" 'BEGIN { printf "%d", m * 60 }'); while (( SECONDS - client_start < s )); do sleep 1; done; }
sample start
next=2
restarted=0
while (( next <= SOAK_MIN - 4 )); do
  if (( !restarted && next > RESTART_AT )); then
    at "$RESTART_AT"
    echo "$(date -u +%T) SIGTERM node3 ${pids[3]}"; kill -TERM "${pids[3]}"
    wait "${pids[3]}" 2>/dev/null; echo "$(date -u +%T) node3 exited rc=$?"
    at "$RESTART_AT.5"
    start_node 3; echo "$(date -u +%T) node3 restarted as ${pids[3]}"
    wait_ready 3; echo "$(date -u +%T) node3 ready"
    restarted=1
  fi
  at "$next"; sample "m$next"; next=$((next + 2))
done
at "$((SOAK_MIN - 4))"; kill -USR1 "$client"; echo "$(date -u +%T) churn stopped"
at "$((SOAK_MIN - 3)).5"; sample steady-only-90s
at "$((SOAK_MIN - 2))"; kill -USR2 "$client"; echo "$(date -u +%T) steady closed"
at "$SOAK_MIN"; sample drained-120s
kill -TERM "$client"; wait "$client" 2>/dev/null; client=
echo "$(date -u +%T) done"
