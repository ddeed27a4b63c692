#!/usr/bin/env bash
# Reproduces the sweeps recorded in benchmarks/RESULTS.md (CPU backend). Each writes runs.csv,
# summary.csv, slopes.csv, summary.md and PNG plots into benchmarks/results/<name>/.
# Usage: benchmarks/run-sweeps.sh [ar-markov|diffusion|zoo|all] [extra bench options, e.g. --backend cuda]
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f target/autospec.jar ] || mvn -q -B package -DskipTests
bench() { java -Xmx8g -jar target/autospec.jar bench "$@"; }
what="${1:-all}"; shift || true

if [[ $what == ar-markov || $what == all ]]; then
  # AR: rounds and queries per sample vs n on markov:q=2,stay=0.9, the three strategies and the
  # speculative settings that matter (rho ~ 1/ln n, early decision off, speculation only below 64).
  bench --out-dir benchmarks/results/ar-markov --seeds 10 --n-min 256 --n-max 65536 \
    --model markov:q=2,stay=0.9 \
    --strategy sequential --strategy speculative --strategy speculative:rho=0.1 \
    --strategy speculative:early=false --strategy speculative:max-span=64 --strategy token:window=64 "$@"
fi

if [[ $what == diffusion || $what == all ]]; then
  # Diffusion: rounds and oracle calls per sample vs the number of steps N on finite atoms in d = 2 and
  # d = 64 and a Gaussian mixture; Picard with its measured error against the sequential path.
  bench --out-dir benchmarks/results/diffusion --seeds 10 --steps-min 64 --steps-max 16384 \
    --delta 1e-3 --schedule geometric \
    --model atoms:k=64,d=2 --model atoms:k=64,d=64 --model gmm:k=4,d=2 \
    --strategy sequential --strategy speculative --strategy speculative:rho=3 --strategy speculative:max-span=64 \
    --strategy picard:window=64,tol=1e-3 --strategy picard:window=256,tol=1e-3 "$@"
fi

if [[ $what == zoo || $what == all ]]; then
  # The zoo: every AR zoo family up to n = 2^16 (or the per-run time limit), 5 seeds.
  bench --out-dir benchmarks/results/zoo --seeds 5 --n-min 64 --n-max 65536 --max-run-seconds 120 \
    --model markov:q=2,stay=0.75 --model markov:q=2,stay=0.9 --model potts:q=5,stay=0.6 \
    --model curie-weiss:beta=0.5 --model curie-weiss:beta=1.0 --model parity:constraints=16 \
    --strategy sequential --strategy speculative --strategy speculative:max-span=64 --strategy token:window=64 "$@"
fi
