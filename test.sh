#!/usr/bin/env bash
# Installs whatever the tests need, then runs every test in the solution.
# Usage: ./test.sh            (CI calls this same script through .ci/run)
set -euo pipefail
cd "$(dirname "$0")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

if ! command -v dotnet >/dev/null 2>&1; then
  echo "The .NET 10 SDK is required (https://dot.net)." >&2
  exit 1
fi

# Node.js runs the official Polygon/Massive npm clients against the façade (tests/node).
if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
  echo "Installing Node.js (Debian packages nodejs, npm)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nodejs npm >/dev/null
fi
# scripts/cluster-local.sh (run by LocalClusterScriptSpecs) reads the nodes' JSON with curl and jq.
if ! command -v jq >/dev/null 2>&1 || ! command -v curl >/dev/null 2>&1; then
  echo "Installing curl and jq (Debian packages)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq curl jq >/dev/null
fi
# Debian's Chromium runs the dashboard's end-to-end tests (driven by playwright-core from tests/node).
if [ ! -x /usr/bin/chromium ]; then
  echo "Installing Chromium (Debian package chromium)"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
(cd tests/node && npm ci --no-audit --no-fund --loglevel=error)
# The JS client package (clients/js): its tests' packages (React, Testing Library, happy-dom, ws, TypeScript).
(cd clients/js && npm ci --no-audit --no-fund --loglevel=error)

dotnet restore AkkaQuotes.sln
dotnet build AkkaQuotes.sln --no-restore -c Release
# The code's layout and imports as .editorconfig says (fix with: dotnet format AkkaQuotes.sln). Whitespace and style
# only: the third part, analyzers, reports what the build above already failed on (warnings are errors in every
# project), and took half of the minute the full check took. The two run side by side (each mostly on one core).
dotnet format whitespace AkkaQuotes.sln --no-restore --verify-no-changes & whitespace=$!
dotnet format style AkkaQuotes.sln --no-restore --verify-no-changes & style=$!
formatted=0
wait $whitespace || formatted=1
wait $style || formatted=1
if [ $formatted -ne 0 ]; then echo "dotnet format found the changes above" >&2; exit 1; fi
# No merge left half done: conflict markers in any tracked file fail the run before the tests.
if git grep -nE '^(<<<<<<<|>>>>>>>) |^=======$' -- . ':!*.png'; then echo "merge conflict markers left in the files above" >&2; exit 1; fi

results=$(mktemp -d)
# Cluster specs with real node processes keep each node's output here (ProcessCluster), for a failure's post-mortem.
export QUOTES_NODE_LOGS="$results/node-logs"
status=0
passed=0; failed=0; skipped=0

# Runs one test project (or, with a filter, part of one) into $results/$name.log; its exit code goes to $results/$name.code.
run_tests() {
  local project=$1 name=$2 filter=${3:-}
  set +e
  dotnet test "$project" --no-build -c Release ${filter:+--filter "$filter"} --logger "console;verbosity=normal" \
    --logger "trx;LogFileName=$name.trx" --results-directory "$results" > "$results/$name.log" 2>&1
  echo $? > "$results/$name.code"
  set -e
}

# Prints a run's verdicts and summary (the full log, with server logs, stays in $results) and adds up its counts.
report() {
  local name=$1 code
  code=$(cat "$results/$name.code")
  echo "=== $name"
  grep -E "^\s+(Passed|Failed|Skipped) |^\s+(Total tests|Passed|Failed|Skipped):|Error Message|Test Run" "$results/$name.log" || true
  if [ "$code" -ne 0 ]; then
    status=1
    # Each failed test with its message, kept for the summary at the end (a long run's output is often read from its tail).
    grep -E -A8 "^\s+Failed [A-Za-z_]" "$results/$name.log" >> "$results/failures.txt" || true
    echo "--- $name failed (exit $code); last lines of its log:"
    tail -60 "$results/$name.log"
  fi
  p=$(sed -nE 's/^\s+Passed: *([0-9]+).*/\1/p' "$results/$name.log" | tail -1)
  f=$(sed -nE 's/^\s+Failed: *([0-9]+).*/\1/p' "$results/$name.log" | tail -1)
  s=$(sed -nE 's/^\s+Skipped: *([0-9]+).*/\1/p' "$results/$name.log" | tail -1)
  passed=$((passed + ${p:-0})); failed=$((failed + ${f:-0})); skipped=$((skipped + ${s:-0}))
}

# The unit specs run in parallel inside their projects, the Kestrel and cluster specs serially (xunit.runner.json). The
# actor specs, whose timings are tight, run alone; the dashboard's end-to-end run in Chromium (about two minutes, mostly
# waiting for the market) runs beside the small projects; the cluster specs, with real node processes and failure
# detection, run alone last.
host=tests/Quotes.Host.Tests/Quotes.Host.Tests.csproj
run_tests tests/Quotes.Actors.Tests/Quotes.Actors.Tests.csproj Quotes.Actors.Tests
report Quotes.Actors.Tests
run_tests "$host" Quotes.Host.Tests.Dashboard "FullyQualifiedName~.DashboardSpecs." & dashboard=$!
small=()
for project in tests/*.Tests/*.Tests.csproj; do
  name=$(basename "$project" .csproj)
  case $name in Quotes.Actors.Tests|Quotes.Host.Tests) continue ;; esac
  run_tests "$project" "$name"
  small+=("$name")
done
wait $dashboard
for name in "${small[@]}" Quotes.Host.Tests.Dashboard; do report "$name"; done
run_tests "$host" Quotes.Host.Tests "FullyQualifiedName!~.DashboardSpecs."
report Quotes.Host.Tests

echo
if [ -s "$results/failures.txt" ]; then
  echo "=== Failed tests (their messages; full logs, .trx files and process clusters' node logs in $results)"
  cat "$results/failures.txt"
  echo
fi
echo "$passed passed, $failed failed, $skipped skipped"
exit $status
