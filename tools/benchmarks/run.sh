#!/usr/bin/env bash
# Issue 8's benchmarks on the local stand-in: cold start (AOT vs JIT), one seed bake, concurrent bakes.
#
#   tools/benchmarks/run.sh [--runs N] [--levels 1,10,50] [--no-coldstart] [--no-bakes]
#
# Publishes the AOT bootstrap to .bakery/bench/aot and builds the same code JIT to .bakery/bench/jit, then runs
# tools/benchmarks/Bakery.Bench, which starts moto + the local Lambda service + aws-local-stepfunctions itself.
# Raw figures: tools/benchmarks/results/*.json (+ run-<time>.log); charts: docs/benchmarks/*.svg.
# The engine benchmark (1 MB build file) is BenchmarkDotNet: see docs/benchmarks.md.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
cd "$root"
bench=.bakery/bench
results=tools/benchmarks/results
mkdir -p "$bench" "$results"

echo "== publish AOT bootstrap ($bench/aot)"
dotnet publish functions/Bakery.Functions -r linux-x64 -c Release -o "$bench/aot" --nologo -v q
echo "== build the same code JIT ($bench/jit)"
dotnet build functions/Bakery.Functions -c Release -o "$bench/jit" --nologo -v q
# The stand-in runs its own cached copy (.bakery/publish/bootstrap, republished only when functions/ changed).

echo "== build the benchmark program"
dotnet build tools/benchmarks/Bakery.Bench -c Release --nologo -v q

log="$results/run-$(date -u +%Y%m%dT%H%M%SZ).log"
{
  echo "# $(date -u) on $(hostname)"
  echo "# nproc: $(nproc); $(grep MemTotal /proc/meminfo); load: $(cat /proc/loadavg)"
  lscpu | head -15 | sed 's/^/# /'
} > "$log"
dotnet tools/benchmarks/Bakery.Bench/bin/Release/net10.0/Bakery.Bench.dll \
  --root "$root" --aot "$bench/aot/bootstrap" --jit "$bench/jit/bootstrap.dll" "$@" 2>&1 | tee -a "$log"
echo "# load after: $(cat /proc/loadavg)" >> "$log"
echo "log: $log"
