#!/usr/bin/env bash
# The strategy race (issue 12): every exact strategy incl. jacobi, exact Picard and auto, at
# M = 1, 64, 4096 samples per run, sized to finish in minutes on a shared 2-core machine.
set -euo pipefail
cd "$(dirname "$0")/.."
J="java -Xmx3g -jar target/autospec.jar bench --backend cpu --threads 2 --max-run-seconds 15"
OUT=benchmarks/results/strategy-race
AR="--model markov:q=2,stay=0.9 --model curie-weiss:beta=1.0 --model parity:constraints=16 --model ltr-markov:q=2,stay=0.999"
ARS="--strategy sequential --strategy speculative --strategy token:window=64 --strategy jacobi --strategy auto"
DI="--model atoms:k=64,d=2 --model gmm:k=4,d=2"
DIS="--strategy sequential --strategy speculative --strategy picard:window=256,tol=0 --strategy auto"
$J $AR $ARS --n-min 256 --n-max 4096 --seeds 3 --samples 1 --out-dir $OUT/ar-m1 > /dev/null
$J $AR $ARS --n-min 256 --n-max 4096 --seeds 1 --samples 64 --out-dir $OUT/ar-m64 > /dev/null
# M = 4096 at n = 256 only, without curie-weiss (its O(n) queries make jacobi's ~n^2/2 per sample too slow here).
$J ${AR/--model curie-weiss:beta=1.0 /} $ARS --n-min 256 --n-max 256 --seeds 1 --samples 4096 --out-dir $OUT/ar-m4096 > /dev/null
$J $DI $DIS --steps-min 64 --steps-max 1024 --seeds 2 --samples 1 --out-dir $OUT/diff-m1 > /dev/null
$J $DI $DIS --steps-min 64 --steps-max 1024 --seeds 1 --samples 64 --out-dir $OUT/diff-m64 > /dev/null
