#!/usr/bin/env bash
# The determinantal probe (RESULTS §10): the largest size each strategy and anchor completes within
# 5 minutes per sample (anchors: 60 s), under a machine-time budget (default 3300 s = 55 min).
# Ladders growing ~2^(1/3) in N, one sample per run in a fresh JVM, log-log predictions before each
# run (see benchmarks/src/main/java/io/autospec/benchmarks/DeterminantalProbe.java). Writes OUT/probe.csv and OUT/probe.md.
#   benchmarks/run-determinantal-probe.sh [OUT_DIR] [budget=SECONDS] [xmx=8g] [only=ust|aztec|dpp]
# Copy the jar first so a rebuild during the (long) run cannot change it underneath.
set -euo pipefail
cd "$(dirname "$0")/.."
OUT=${1:-benchmarks/results/determinantal-probe}
shift || true
[ -f benchmarks/target/benchmarks.jar ] || { mvn -q -B install -DskipTests && mvn -q -B -f benchmarks/pom.xml package; }
JAR=$(mktemp -d)/benchmarks.jar
cp benchmarks/target/benchmarks.jar "$JAR"
mkdir -p "$OUT"
java -Xmx256m -cp "$JAR" io.autospec.benchmarks.DeterminantalProbe probe "$OUT" "$@" 2>&1 | tee "$OUT/probe.log"
