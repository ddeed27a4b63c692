package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.MarkovChain;
import io.autospec.backend.CpuBackend;
import io.autospec.core.RunMetrics;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.PlantedVariants;
import io.autospec.testing.GoodnessOfFit;
import org.junit.jupiter.api.Test;

/**
 * The run-wide trial budget ({@link SpeculativeSampler#maxConcurrentTrialSteps}): one bound on the
 * steps of running fallback trials shared by every fallback of every sample, with one trial per
 * fallback always allowed. It may change which trials run when, never which trial a fallback
 * answers with: same samples whatever the budget and capacity, the exact law under a tiny budget,
 * and the bound live trial steps &lt; 2 budget + 2 samples x n measured on the heavy-tailed run below.
 */
class TrialBudgetTest {

    private static RunResult<int[]> run(ConditionalOracle oracle, SpeculativeSampler s, int capacity, long seed, int m) {
        try (CpuBackend backend = new CpuBackend(2)) {
            return Autospec.autoregressive(oracle).strategy(s).seed(seed).capacity(capacity).backend(backend).sample(m);
        }
    }

    /** The bound proved in {@code TrialBudget}: admitted trials within the budget, own-trial chains below 2n per sample. */
    private static long bound(long budget, int samples, int n) {
        return 2 * budget + 2L * samples * n;
    }

    /**
     * Fallback-heavy chains at rho = 4 (batches of 4, 20, ... trials, nested): budgets from "only
     * each fallback's own trial" to unbounded, capacities 5 and unlimited, give the same samples; a
     * small budget binds (fallbacks waited, fewer trial steps at the peak) and respects its bound.
     */
    @Test
    void sameSamplesWhateverTheBudgetAndCapacity() {
        int m = 400;
        for (MarkovChain chain : new MarkovChain[] {MarkovChain.stay(32, 2, 0.97), MarkovChain.stay(24, 3, 0.9)}) {
            String name = chain.describe();
            SpeculativeSampler base = Autospec.speculative().rho(4);
            RunResult<int[]> ref = run(chain, base.maxConcurrentTrialSteps(Long.MAX_VALUE), Integer.MAX_VALUE, 5, m);
            RunMetrics rm = ref.metrics();
            assertTrue(rm.totalTrials() > 10L * m, name + ": too few trials to exercise the budget: " + rm.totalTrials());
            assertEquals(0, rm.trialWaits(), "an unbounded budget never makes a fallback wait");
            for (long budget : new long[] {1, 40, 300}) {
                for (int capacity : new int[] {Integer.MAX_VALUE, 5}) {
                    RunResult<int[]> r = run(chain, base.maxConcurrentTrialSteps(budget), capacity, 5, m);
                    String what = name + " budget " + budget + " capacity " + capacity;
                    for (int i = 0; i < m; i++) assertArrayEquals(ref.samples().get(i), r.samples().get(i), what + ": sample " + i);
                    RunMetrics rb = r.metrics();
                    // Below the smallest span (2) only each fallback's own trial runs: nobody queues.
                    assertTrue(rb.trialWaits() > 0 || budget < 2, what + ": the budget never bound");
                    assertTrue(rb.peakTrialSteps() < rm.peakTrialSteps(), what + ": peak " + rb.peakTrialSteps() + " vs unbounded " + rm.peakTrialSteps());
                    assertTrue(rb.peakTrialSteps() < bound(budget, m, chain.length()), what + ": peak " + rb.peakTrialSteps());
                }
            }
        }
    }

    /**
     * The heavy-tailed run {@code markov:q=2,stay=1 --n 32 --strategy speculative --rho 4 --samples 20000}. Every
     * speculation of an unpinned half fails, so fallbacks of ~4 trials nest five deep in every sample
     * (without a run-wide bound: 4 x 32 + 16 x 16 + 64 x 8 + 256 x 4 + 1024 x 2 = 3968 live trial
     * steps a sample, 79 M for the run; it grew past 6 GB). With a budget of 4096 steps the peak stays
     * below 2 x 4096 + 2 x 20000 x 32 = 1.29 M steps (about 0.5 GB at ~400 bytes a step, see
     * {@code io.autospec.MemoryEstimate}); measured: 1.19 M. The unbounded shape is checked on 200 samples.
     */
    @Test
    void nestedFallbacksOfTheIssueStayWithinTheBound() {
        MarkovChain constant = MarkovChain.stay(32, 2, 1.0);
        SpeculativeSampler s = Autospec.speculative().rho(4);
        RunResult<int[]> small = run(constant, s.maxConcurrentTrialSteps(Long.MAX_VALUE), Integer.MAX_VALUE, 1, 200);
        assertTrue(small.metrics().peakTrialSteps() > 2000L * 200,
                "unbounded, trial steps should grow ~4^depth: peak " + small.metrics().peakTrialSteps() + " for 200 samples");

        int m = 20_000;
        long budget = 4096;
        RunResult<int[]> r = run(constant, s.maxConcurrentTrialSteps(budget), Integer.MAX_VALUE, 1, m);
        RunMetrics rm = r.metrics();
        assertTrue(rm.peakTrialSteps() < bound(budget, m, 32), "peak trial steps " + rm.peakTrialSteps());
        assertTrue(rm.peakTrialSteps() < 100L * m, "peak trial steps per sample " + rm.peakTrialSteps() / m);
        for (int[] x : r.samples()) {
            for (int v : x) assertEquals(x[0], v, "stay = 1: a constant chain");
        }
        assertTrue(rm.levels() >= 5, "fallbacks nest five deep: " + rm.levels() + " levels");
    }

    /**
     * The exact law under budgets that bind, at rho = 3 (batches of 3, 12, ... trials): 2 steps on the
     * binary chain (about one trial beyond each fallback's own, in all 20000 samples together) and 20000 steps shared by
     * 20000 samples on Curie-Weiss (unbounded, its trials peak at 232 k steps). The standard check of
     * {@code StrategyGoodnessOfFitTest}: 5 replicates at alpha = 0.01, fail on 3 or more rejections,
     * false-failure rate 9.9e-6 per check.
     */
    @Test
    void exactLawUnderTinyBudgets() {
        GoodnessOfFit.Outcome chain = check(ArZoo.stay(7, 2, 0.95), Autospec.speculative().rho(3).maxConcurrentTrialSteps(8), 5_108L);
        assertTrue(chain.passed(), "markov(n=7, stay=0.95), budget 8: " + chain);
        GoodnessOfFit.Outcome cw = check(CURIE_WEISS, Autospec.speculative().rho(3).maxConcurrentTrialSteps(20_000), 5_120L);
        assertTrue(cw.passed(), "curie-weiss(n=7, beta=1.2, h=0.1), budget 20000: " + cw);
    }

    /**
     * Power under a binding budget: the planted FIRST_FINISHED rule (take the accepted trial that
     * finished first; biased, TV ~0.03 here, see {@code PlantedVariantPowerTest}) is rejected by the
     * same check under the same 20000-step budget, so the check above could fail.
     */
    @Test
    void plantedFirstFinishedIsRejectedUnderABindingBudget() {
        SpeculativeSampler planted = PlantedVariants.firstFinished(Autospec.speculative().rho(3).maxConcurrentTrialSteps(100_000));
        assertFalse(planted.exact());
        GoodnessOfFit.Outcome outcome = check(CURIE_WEISS, planted, 5_300L);
        assertFalse(outcome.passed(), "FIRST_FINISHED under a 100000-step budget was not rejected: " + outcome);
    }

    static final ArZoo.Model CURIE_WEISS = ArZoo.curieWeiss(7, 1.2, 0.1);

    private static GoodnessOfFit.Outcome check(ArZoo.Model model, SpeculativeSampler s, long seed) {
        int m = StrategyGoodnessOfFitTest.M;
        return GoodnessOfFit.standard(r -> {
            RunResult<int[]> run = ArTesting.run(model.oracle(), s, seed + 7_919L * r, m);
            assertTrue(run.metrics().trialWaits() > 0, "the budget never bound");
            return GoodnessOfFit.chiSquarePValue(model.law(), ArTesting.counts(run.samples(), model.q(), model.law().length));
        });
    }
}
