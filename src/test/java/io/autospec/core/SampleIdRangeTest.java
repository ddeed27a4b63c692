package io.autospec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.ar.models.MarkovChain;
import io.autospec.backend.CpuBackend;
import io.autospec.diffusion.Schedule;
import io.autospec.diffusion.models.IsotropicMixture;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * {@code firstSampleId}: a run drawing ids [a, b) gives, bit for bit, ids a..b-1 of a run from 0 with the
 * same seed, whatever split into ranges (what lets Spark partitions draw disjoint ranges of one run).
 */
class SampleIdRangeTest {
    private static final long SEED = 99;
    private static final int M = 23;

    /** Concatenates runs over the ranges cut at {@code cuts} and compares with one run of M from id 0. */
    private static <T> void splitEqualsWhole(String what, BiFunction<Integer, Integer, List<T>> run) {
        List<T> whole = run.apply(0, M);
        assertEquals(M, whole.size());
        for (int[] cuts : new int[][] {{0, 1, M}, {0, 5, 6, 17, M}, {0, 7, 14, 21, M}}) {
            List<T> joined = new ArrayList<>();
            for (int i = 0; i + 1 < cuts.length; i++) joined.addAll(run.apply(cuts[i], cuts[i + 1] - cuts[i]));
            for (int s = 0; s < M; s++) {
                assertTrue(same(whole.get(s), joined.get(s)), what + ": sample " + s + " with cuts " + Arrays.toString(cuts));
            }
        }
        // Not vacuous: shifting the ids changes the samples.
        List<T> shifted = run.apply(1, M);
        int differ = 0;
        for (int s = 0; s < M; s++) if (!same(whole.get(s), shifted.get(s))) differ++;
        assertTrue(differ > M / 3, what + ": only " + differ + " of " + M + " samples change when ids shift by one");
    }

    private static boolean same(Object a, Object b) {
        // Arrays.equals on double[] compares bit patterns (doubleToLongBits), so this is bit identity.
        return a instanceof int[] x ? Arrays.equals(x, (int[]) b) : Arrays.equals((double[]) a, (double[]) b);
    }

    @Test
    void arRangesAreSlicesOfOneRun() {
        var oracle = MarkovChain.stay(40, 3, 0.8);
        for (Strategy st : new Strategy[] {Autospec.speculative(), Autospec.sequential(), Autospec.token(8)}) {
            splitEqualsWhole("AR " + st, (first, m) -> {
                try (CpuBackend b = new CpuBackend(1)) {
                    return Autospec.autoregressive(oracle).strategy(st).seed(SEED).backend(b).firstSampleId(first).sample(m).samples();
                }
            });
        }
    }

    @Test
    void diffusionRangesAreSlicesOfOneRun() {
        var model = IsotropicMixture.randomGmm(6, 2, 3);
        Schedule sched = Schedule.geometric(32, 0.02);
        for (Strategy st : new Strategy[] {Autospec.speculative(), Autospec.picard(8, 1e-3)}) {
            splitEqualsWhole("diffusion " + st, (first, m) -> {
                try (CpuBackend b = new CpuBackend(1)) {
                    return Autospec.diffusion(model, sched).strategy(st).seed(SEED).backend(b).firstSampleId(first).sample(m).samples();
                }
            });
        }
    }

    @Test
    void badRangesAreRejectedWithTheirValues() {
        var run = Autospec.autoregressive(MarkovChain.stay(4, 2, 0.5));
        IllegalArgumentException neg = assertThrows(IllegalArgumentException.class, () -> run.firstSampleId(-3));
        assertTrue(neg.getMessage().contains("-3"), neg.getMessage());
        IllegalArgumentException over = assertThrows(IllegalArgumentException.class,
                () -> run.firstSampleId(Integer.MAX_VALUE - 1).sample(5));
        assertTrue(over.getMessage().contains(String.valueOf(Integer.MAX_VALUE - 1)), over.getMessage());
        assertFalse(run.firstSampleId(Integer.MAX_VALUE).sample(1).samples().isEmpty(), "the last id is usable");
    }

    /** A range far from 0 costs what a range from 0 costs: progress is kept per sample of the run, not per id. */
    @Test
    void aRangeFarFromZeroKeepsProgressPerRunSample() {
        try (CpuBackend backend = new CpuBackend(1)) {
            RunMetrics m = Autospec.autoregressive(MarkovChain.stay(64, 2, 0.9)).strategy(Autospec.speculative()).seed(5)
                    .backend(backend).firstSampleId(Integer.MAX_VALUE - 4).sample(3).metrics();
            assertEquals(3L * 64, m.stepsTotal());
            assertEquals(m.stepsTotal(), m.stepsReached());
        }
    }
}
