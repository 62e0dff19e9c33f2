#!/usr/bin/env bash
# Runs one load scenario of docs/PERFORMANCE.md on this machine: the simulator (send-time stamping), one host and the
# load tool, all Release builds on loopback. Prints the load tool's report and the host's memory.
#
#   benchmarks/load.sh burst1 | rate10 | rate20 | conns8000 | stuck10 | soak [minutes]
#
# Reports go to artifacts/perf/<scenario>.json (and .rss for the memory samples).
set -euo pipefail
cd "$(dirname "$0")/.."
scenario=${1:?usage: benchmarks/load.sh burst1|rate10|rate20|conns8000|stuck10|soak [minutes]}

clients=1000; symbols=50; universe=500; rate=1; stuck=0; warmup=20; duration=30
case "$scenario" in
  burst1) ;;
  rate10) rate=10 ;;
  rate20) rate=20 ;;
  conns8000) clients=8000; symbols=5; rate=0.2; warmup=20; duration=20 ;;
  stuck10) rate=10; stuck=0.1; duration=60 ;;
  soak) rate=5; warmup=10; duration=$(( ${2:-30} * 60 )) ;;
  *) echo "unknown scenario $scenario" >&2; exit 2 ;;
esac

ulimit -n 65536 2>/dev/null || ulimit -n "$(ulimit -Hn)"
out=artifacts/perf; mkdir -p "$out"
dotnet build AkkaQuotes.sln -c Release -v quiet -nologo >/dev/null
sim_port=5090; host_port=5091
bin() { echo "$1/bin/Release/net10.0/$2"; }
# Each process runs as deployed: its content root is its own directory. Started from the repository root, the content
# root would be the repository, and ASP.NET's appsettings watcher would watch all of it, waking on every log line the
# runs write under artifacts/ (measured: ~0.0005 cores per node on three nodes), and appsettings.json would not be read.
root() { echo "ASPNETCORE_CONTENTROOT=$PWD/$1/bin/Release/net10.0"; }

env "$(root src/Quotes.Simulator)" dotnet "$(bin src/Quotes.Simulator Quotes.Simulator.dll)" --urls "http://127.0.0.1:$sim_port" \
  --Simulator:EventsPerSecond="$rate" --Simulator:StampSendTime=true --Simulator:ApiKeys:0=sim >"$out/$scenario.simulator.log" 2>&1 &
sim=$!
env Polygon__WebSocketUrl="ws://127.0.0.1:$sim_port" Polygon__RestUrl="http://127.0.0.1:$sim_port" Polygon__ApiKey=sim \
  Auth__ApiKeys__0=load-test-client-key Limits__MaxConnections=20000 Limits__MaxConnectionsPerKey=20000 Limits__MaxConnectionsPerIp=0 ASPNETCORE_URLS="http://127.0.0.1:$host_port" \
  "$(root src/Quotes.Host)" dotnet "$(bin src/Quotes.Host Quotes.Host.dll)" >"$out/$scenario.host.log" 2>&1 &
host=$!
trap 'kill $host $sim 2>/dev/null; wait 2>/dev/null' EXIT
until curl -sf "http://127.0.0.1:$host_port/health/ready" >/dev/null; do sleep 0.5; done

rss() { awk '/VmRSS/ {print $2}' "/proc/$host/status"; }   # KiB
idle_rss=$(rss)
( while kill -0 $host 2>/dev/null; do echo "$(date +%s) $(rss)"; sleep 10; done ) >"$out/$scenario.rss" &
sampler=$!

dotnet "$(bin tools/Quotes.LoadTest Quotes.LoadTest.dll)" --url "ws://127.0.0.1:$host_port/ws" --key load-test-client-key \
  --clients "$clients" --symbols "$symbols" --universe "$universe" --stuck "$stuck" \
  --warmup "$warmup" --duration "$duration" --out "$out/$scenario.json"
loaded_rss=$(rss)
kill $sampler 2>/dev/null || true

demanded=$(awk -v c="$clients" -v s="$stuck" -v k="$symbols" -v r="$rate" 'BEGIN { printf "%.0f", c * (1 - s) * k * r }')
echo "scenario $scenario: demanded ${demanded} quotes/s to reading clients; host RSS idle ${idle_rss} KiB, loaded ${loaded_rss} KiB," \
  "$(( (loaded_rss - idle_rss) * 1024 / clients )) bytes per connection above idle"
