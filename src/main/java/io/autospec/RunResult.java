package io.autospec;

import io.autospec.core.RunMetrics;
import java.util.List;

/**
 * The samples of one run and what they cost.
 *
 * @param samples  one sample per entry, in sample-id order (AR: int[n] in position order;
 *                 diffusion: double[d])
 * @param metrics  rounds, launches, queries... for the whole run
 * @param strategy the strategy's name and settings
 * @param backend  the backend that evaluated the oracle
 * @param exact    whether the strategy samples the target exactly
 */
public record RunResult<T>(List<T> samples, RunMetrics metrics, String strategy, String backend, boolean exact) {}
