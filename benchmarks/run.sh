#!/usr/bin/env bash
# Runs every benchmark of the performance report and writes the JSON docs/performance.md is built from.
# Usage: benchmarks/run.sh [short|full]   (short: 2 x 3 s warm-up, 3 x 3 s measurement, except appends; full: the
# annotations' defaults)
# Needs benchmarks/target/benchmarks.jar (mvn -B -ntp -DskipTests package -pl benchmarks -am) and PostgreSQL on
# 127.0.0.1:5432 as postgres. Nothing else should run on the machine meanwhile.
set -euo pipefail
cd "$(dirname "$0")/.."
jar=benchmarks/target/benchmarks.jar
out=benchmarks/results
mode=${1:-short}
timing=()
if [ "$mode" = short ]; then
  timing=(-wi 2 -w 3s -i 3 -r 3s)
fi
mkdir -p "$out"
java -jar "$jar" ReconstructionBenchmark "${timing[@]}" -rf json -rff "$out/reconstruction.json"
# Appends keep their 3 x 10 s warm-up in both modes: with 16 writer threads on 2 cores the JIT gets little CPU, and
# a 2 x 3 s warm-up measured Eventfold's longer code path still compiling (3,500 -> 7,000 -> 8,100 appends/s over the
# first three 10 s iterations at 16 threads; docs/performance.md).
for t in 1 4 16; do
  java -jar "$jar" AppendBenchmark -t "$t" -p batch=1,100 -rf json -rff "$out/append-t$t.json"
done
java -jar "$jar" ProjectionBenchmark -rf json -rff "$out/projection.json"
java -jar "$jar" ProjectionLiveBenchmark "${timing[@]}" -rf json -rff "$out/projection-live.json"
java -jar "$jar" ImportBenchmark "${timing[@]}" -rf json -rff "$out/import.json"
# Single-shot loads of 100,000 events into an empty schema each; -w and -r do not apply to them.
java -jar "$jar" InitialLoadBenchmark "${timing[@]}" -rf json -rff "$out/initial-load.json"
java -jar "$jar" ReadYourWritesBenchmark "${timing[@]}" -rf json -rff "$out/read-your-writes.json"
java -jar "$jar" PersonalDataBenchmark "${timing[@]}" -rf json -rff "$out/personal-data.json"
# The second peer: Emmett (Node), same PostgreSQL, same payloads and mix (benchmarks/emmett/harness.mjs).
emmett_timing=(--warmup 30 --measure 25)
if [ "$mode" = short ]; then
  emmett_timing=(--warmup 6 --measure 9)
fi
(cd benchmarks/emmett && npm ci --no-audit --no-fund --silent && node harness.mjs "${emmett_timing[@]}" \
  --out ../results/emmett.json)
java -cp "$jar" dev.eventfold.benchmarks.PlotResults "$out" docs/img
