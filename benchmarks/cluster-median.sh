#!/usr/bin/env bash
# The median of several benchmarks/cluster.sh runs: one run of the three-node figure varies by ±15 % on this machine (the
# same build gave 1.56 to 2.08 µs per delivered quote back to back), so a change smaller than that shows only in medians.
#
#   benchmarks/cluster-median.sh 3 5      # five runs of three nodes, each a fresh cluster; prints each run and the median
#                                         (of an even number of runs, the mean of the middle two)
#   benchmarks/cluster-median.sh 1 5
#
# Every cluster.sh setting (WARMUP, DURATION, NO_BUILD, SCENARIO, ...) passes through; runs are named <scenario>-r<K>.
# Writes the runs' figures and their median to artifacts/perf/<scenario>.median.txt.
set -euo pipefail
cd "$(dirname "$0")/.."
nodes=${1:?usage: benchmarks/cluster-median.sh NODES RUNS}; runs=${2:-5}
(( runs >= 1 )) || { echo "RUNS must be 1 or more" >&2; exit 2; }
scenario=${SCENARIO:-cluster$nodes}
[[ ${NO_BUILD:-} == 1 ]] || dotnet build AkkaQuotes.sln -c Release -v quiet -nologo >/dev/null
mkdir -p artifacts/perf; out=artifacts/perf/$scenario.median.txt; : >"$out"
for k in $(seq 1 "$runs"); do
  SCENARIO=$scenario-r$k NO_BUILD=1 benchmarks/cluster.sh "$nodes" >/dev/null
  jq -r --arg k "$k" '"run \($k): \(.microsecondsCpuPerQuote) µs per delivered quote, \(.hostCores) cores, \(.framesPerSecond) frames/s, p50 \(.p50Ms) / p99 \(.p99Ms) ms, machine busy outside \(.otherCores) cores"' \
    "artifacts/perf/$scenario-r$k.json" | tee -a "$out"
done
files=(); for k in $(seq 1 "$runs"); do files+=("artifacts/perf/$scenario-r$k.json"); done
jq -s -r 'map(.microsecondsCpuPerQuote) | sort | "median of \(length): \(if length % 2 == 1 then .[length / 2 | floor] else ((.[length / 2 - 1] + .[length / 2]) / 2 * 100 | round / 100) end) µs per delivered quote (range \(first) to \(last))"' \
  "${files[@]}" | tee -a "$out"
