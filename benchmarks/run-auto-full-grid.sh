#!/usr/bin/env bash
# The full grid, the re-drafting `auto` only (RESULTS §7 "auto, final"): the AR part of
# run-strategy-race-full.sh (same models, n = 2^8..2^16, same seeds and stop rules), M = 1 and 64,
# then M = 4096 as far as the budget goes. The other strategies, the old auto (hand-over) and
# diffusion (auto = exact Picard, unchanged) come from benchmarks/results/strategy-race-full.
# BUDGET_S (default 35 min) covers all runs. Writes benchmarks/results/strategy-race-full-auto/.
# Compare with: python3 benchmarks/full_grid.py benchmarks/results/strategy-race-full \
#                   --new-auto benchmarks/results/strategy-race-full-auto
cd "$(dirname "$0")/.."
ARS="--strategy auto" AR_ONLY=1 BUDGET_S=${BUDGET_S:-2100} OUT=${OUT:-benchmarks/results/strategy-race-full-auto} \
    exec benchmarks/run-strategy-race-full.sh
