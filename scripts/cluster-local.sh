#!/usr/bin/env bash
# A local AkkaQuotes cluster on this machine: the built-in simulator as the upstream plus N nodes, all on loopback.
#
#   scripts/cluster-local.sh start [N]   # N nodes (1..9, default 3); prints each node's dashboard and WebSocket URL and the keys
#   scripts/cluster-local.sh status      # the processes, each node's readiness, the members, and which node holds the upstream
#   scripts/cluster-local.sh stop        # SIGTERM to every node (newest first, one at a time), then the simulator; waits for each
#
# Forming the cluster: cluster bootstrap with configuration discovery (Akka:Bootstrap:Discovery=config), no seed list.
# Every node serves its view of the cluster on a management port and gets the list of all management ports; the nodes
# find each other through it (docs/OPERATIONS.md, "Forming a cluster").
#
# Ports, loopback only, apart from benchmarks/cluster.sh's (simulator 5190, nodes 5191.., 4191..). Override by environment:
#   SIM_PORT         simulator                 default 5290
#   HTTP_BASE        node i listens on +i      default 5290  (dashboard, /ws, /polygon, REST, /admin, /health)
#   REMOTING_BASE    node i's Akka remoting +i default 4290
#   MANAGEMENT_BASE  node i's management +i    default 8590  (GET /bootstrap/seed-nodes, for the other nodes)
# CLUSTER_DIR (default .cluster-local/, gitignored) holds the state (ports, pids, keys) and every process's log. The client
# and admin keys are generated at start. The build (Release) is made first when missing or older than the sources;
# NO_BUILD=1 skips that check. START_TIMEOUT (s, default 120) bounds the wait for the cluster, STOP_TIMEOUT (s, default 30)
# the wait for each process to exit after SIGTERM (then it is killed, and stop says so). Needs dotnet, curl and jq.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
dir=${CLUSTER_DIR:-$root/.cluster-local}
host_dll=$root/src/Quotes.Host/bin/Release/net10.0/Quotes.Host.dll
sim_dll=$root/src/Quotes.Simulator/bin/Release/net10.0/Quotes.Simulator.dll

usage() { echo "usage: scripts/cluster-local.sh start [N] | status | stop" >&2; exit 2; }
fail() { echo "$*" >&2; exit 1; }
for tool in dotnet curl jq; do command -v "$tool" >/dev/null || fail "cluster-local.sh needs $tool on PATH"; done

# The processes this script started, one "name pid" per line; a pid counts only while it still runs our program (a stale
# file must never make stop signal an unrelated process that got the same pid).
ours() { local args; args=$(ps -o args= -p "$2" 2>/dev/null) && [[ $args == *"$(basename "$(dll_of "$1")")"* ]]; }
dll_of() { [[ $1 == simulator ]] && echo "$sim_dll" || echo "$host_dll"; }
running() { [[ -f $dir/pids ]] && while read -r name pid; do ours "$name" "$pid" && return 0; done <"$dir/pids"; return 1; }

http_port() { echo $((http_base + $1)); }
remoting_port() { echo $((remoting_base + $1)); }
management_port() { echo $((management_base + $1)); }
admin_json() { curl -sf --max-time 5 -H "Authorization: Bearer $admin_key" "http://127.0.0.1:$(http_port "$1")/admin/cluster"; }
# Node name for an Akka address, by its remoting port.
node_of() { local port=${1##*:} i; for i in $(seq 1 "$nodes"); do [[ $port == "$(remoting_port "$i")" ]] && { echo "node$i"; return; }; done; echo "$1"; }

needs_build() {
  [[ ! -f $host_dll || ! -f $sim_dll ]] && return 0
  [[ -n $(find src hocon Directory.Build.props Directory.Packages.props -type f -newer "$host_dll" \
            \( -name '*.cs' -o -name '*.csproj' -o -name '*.hocon' -o -name '*.props' -o -path '*/web/public/*' \) -print -quit) ]]
}

start() {
  nodes=${1:-3}
  [[ $nodes =~ ^[1-9]$ ]] || fail "N must be 1..9"
  running && fail "a local cluster is already running (scripts/cluster-local.sh status, scripts/cluster-local.sh stop)"
  sim_port=${SIM_PORT:-5290}; http_base=${HTTP_BASE:-5290}; remoting_base=${REMOTING_BASE:-4290}; management_base=${MANAGEMENT_BASE:-8590}
  local i port
  for port in "$sim_port" $(for i in $(seq 1 "$nodes"); do http_port "$i"; remoting_port "$i"; management_port "$i"; done); do
    ss -Hltn "sport = :$port" | grep -q . && fail "port $port is in use (set SIM_PORT, HTTP_BASE, REMOTING_BASE or MANAGEMENT_BASE)"
  done
  if [[ ${NO_BUILD:-} != 1 ]] && needs_build; then
    echo "building (Release)..."
    dotnet build src/Quotes.Host -c Release -v quiet -nologo >/dev/null
  fi

  mkdir -p "$dir"
  rm -f "$dir"/*.log "$dir/pids"
  key() { head -c 16 /dev/urandom | od -An -tx1 | tr -d ' \n'; }
  client_key=$(key); admin_key=$(key); sim_key=$(key)
  local var; for var in nodes sim_port http_base remoting_base management_base client_key admin_key; do
    printf '%s=%q\n' "$var" "${!var}"; done >"$dir/state"

  # nohup and no terminal: the processes outlive this script and the shell it ran in, until stop.
  nohup dotnet "$sim_dll" --urls "http://127.0.0.1:$sim_port" --Simulator:ApiKeys:0="$sim_key" \
    >"$dir/simulator.log" 2>&1 </dev/null &
  echo "simulator $!" >>"$dir/pids"
  local endpoints; endpoints=$(for i in $(seq 1 "$nodes"); do printf '127.0.0.1:%s,' "$(management_port "$i")"; done)
  for i in $(seq 1 "$nodes"); do
    # Every node is listed and required: all of them start together here, so a short stable margin is safe.
    Polygon__ApiKey=$sim_key Polygon__Feed=simulator Polygon__WebSocketUrl="ws://127.0.0.1:$sim_port" Polygon__RestUrl="http://127.0.0.1:$sim_port" \
    Auth__ApiKeys__0=$client_key Admin__ApiKey=$admin_key ASPNETCORE_URLS="http://127.0.0.1:$(http_port "$i")" \
    Akka__Hostname=127.0.0.1 Akka__PublicHost=127.0.0.1 Akka__Port="$(remoting_port "$i")" \
    Akka__Bootstrap__Discovery=config Akka__Bootstrap__ManagementPort="$(management_port "$i")" \
    Akka__Bootstrap__Endpoints="${endpoints%,}" Akka__Bootstrap__RequiredContactPoints="$nodes" Akka__Bootstrap__StableMargin=00:00:01 \
      nohup dotnet "$host_dll" >"$dir/node$i.log" 2>&1 </dev/null &
    echo "node$i $!" >>"$dir/pids"
  done

  local deadline=$((SECONDS + ${START_TIMEOUT:-120})) name pid
  echo "starting the simulator and $nodes node(s); logs in $dir"
  for i in $(seq 1 "$nodes"); do
    until curl -sf --max-time 5 "http://127.0.0.1:$(http_port "$i")/health/ready" >/dev/null \
          && [[ $(admin_json "$i" | jq '[.data.members[] | select(.status == "Up")] | length') == "$nodes" ]]; do
      while read -r name pid; do
        ours "$name" "$pid" || { echo "$name exited during start; the end of its log:" >&2; tail -20 "$dir/$name.log" >&2; stop >&2; exit 1; }
      done <"$dir/pids"
      (( SECONDS < deadline )) || { echo "node$i not ready or not seeing $nodes Up members in ${START_TIMEOUT:-120} s (logs in $dir)" >&2; stop >&2; exit 1; }
      sleep 0.5
    done
  done

  echo
  echo "AkkaQuotes: $nodes node(s) up, one cluster, formed through bootstrap (config discovery), simulator on http://127.0.0.1:$sim_port"
  for i in $(seq 1 "$nodes"); do
    echo "  node$i  dashboard  http://127.0.0.1:$(http_port "$i")/?apiKey=$client_key"
    echo "         websocket  ws://127.0.0.1:$(http_port "$i")/ws?apiKey=$client_key"
  done
  echo "  client key: $client_key"
  echo "  admin key:  $admin_key   (Authorization: Bearer …, e.g. GET /admin/cluster)"
  echo "  scripts/cluster-local.sh status | stop"
}

load_state() {
  [[ -f $dir/state && -f $dir/pids ]] || { echo "no local cluster in $dir (scripts/cluster-local.sh start)"; return 1; }
  # shellcheck source=/dev/null
  source "$dir/state"
}

status() {
  load_state || exit 1
  local name pid i json="" alive=0
  while read -r name pid; do
    if ours "$name" "$pid"; then
      alive=$((alive + 1))
      if [[ $name == node* ]]; then
        i=${name#node}
        echo "$name  pid $pid  http://127.0.0.1:$(http_port "$i")  $(curl -s --max-time 5 "http://127.0.0.1:$(http_port "$i")/health/ready" || echo "not answering")"
        [[ -n $json ]] || json=$(admin_json "$i" || true)
      else
        echo "$name  pid $pid  http://127.0.0.1:$sim_port"
      fi
    else
      echo "$name  pid $pid  not running"
    fi
  done <"$dir/pids"
  [[ -n $json ]] || { echo "no node answered /admin/cluster"; exit 1; }
  echo "members (as $(node_of "$(jq -r .data.self <<<"$json")") sees them):"
  jq -r '(.data.nodes | map({(.address): .}) | add) as $n | .data.members[]
         | "\(.address) \(.status) \(if .reachable then "reachable" else "UNREACHABLE" end) \($n[.address].shards // "?") \($n[.address].entities // "?") \($n[.address].clients // "?")"' <<<"$json" |
    while read -r address state reach shards symbols clients; do
      echo "  $(node_of "$address")  $address  $state  $reach  $shards shards, $symbols symbols, $clients clients"
    done
  local holder; holder=$(jq -r .data.upstream.node <<<"$json")
  echo "upstream: held by $(node_of "$holder") ($holder), $(jq -r '"\(.data.upstream.state), \(.data.upstream.subscribed) symbols subscribed upstream"' <<<"$json")"
  (( alive == $(wc -l <"$dir/pids") ))
}

stop() {
  load_state || return 0
  local name pid started code=0
  # Newest node first, one at a time: each leaves and hands its shards over before the next goes; the simulator last.
  tac "$dir/pids" | while read -r name pid; do
    ours "$name" "$pid" || { echo "$name (pid $pid) was not running"; continue; }
    kill -TERM "$pid" 2>/dev/null || true
    started=$SECONDS
    while ours "$name" "$pid" && (( SECONDS - started < ${STOP_TIMEOUT:-30} )); do sleep 0.2; done
    if ours "$name" "$pid"; then
      kill -KILL "$pid" 2>/dev/null || true
      echo "$name (pid $pid) did not exit within ${STOP_TIMEOUT:-30} s of SIGTERM: killed"
    else
      echo "$name (pid $pid) stopped"
    fi
  done
  running && { echo "some processes are still running: see $dir/pids" >&2; code=1; }
  (( code == 0 )) && rm -f "$dir/pids" "$dir/state"
  return $code
}

case ${1:-} in
  start) shift; [[ $# -le 1 ]] || usage; start "$@" ;;
  status) status ;;
  stop) stop ;;
  *) usage ;;
esac
