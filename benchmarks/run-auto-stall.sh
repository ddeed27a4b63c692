#!/usr/bin/env bash
# Issue 12, section 2: `auto` with the stall hand-over and adaptive token windows, side by side with
# every exact AR strategy and the old `auto` (cap only, w = 64), M = 1 (3 seeds) and M = 64.
set -euo pipefail
cd "$(dirname "$0")/.."
J="java -Xmx3g -jar target/autospec.jar bench --backend cpu --threads 2 --max-run-seconds 15"
OUT=benchmarks/results/auto-stall
AR="--model markov:q=2,stay=0.9 --model curie-weiss:beta=1.0 --model parity:constraints=16 --model ltr-markov:q=2,stay=0.999"
S="--strategy sequential --strategy speculative --strategy token:window=64 --strategy token:window=adaptive --strategy jacobi"
S="$S --strategy auto:stall=false,rest=64 --strategy auto"
$J $AR $S --n-min 256 --n-max 4096 --seeds 3 --samples 1 --out-dir $OUT/ar-m1 > /dev/null
$J $AR $S --n-min 256 --n-max 4096 --seeds 1 --samples 64 --out-dir $OUT/ar-m64 > /dev/null
