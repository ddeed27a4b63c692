package io.autospec.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.Strategy;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The same seed gives the same samples (bit for bit) whatever the batch capacity, early decision,
 * or number of CPU threads: every random number is addressed by the recursion path, and every
 * denoiser evaluates each query with the same operations whatever block or thread it lands in.
 */
class DeterminismTest {
    private static final Denoiser[] MODELS = {
        // k > the mixture's block and tile sizes, so blocks and tiles are actually split
        IsotropicMixture.randomGmm(150, 3, 11),
        IsotropicMixture.atoms(new double[][] {{-2, 0}, {2, 1}, {0, -2}}, new double[] {0.5, 0.3, 0.2}),
        new BoxUniform(3, 0, 1),
    };

    private static List<double[]> samples(Denoiser model, Schedule s, Strategy strategy, long seed, int capacity, int threads) {
        try (CpuBackend b = new CpuBackend(threads)) {
            return Autospec.diffusion(model, s).strategy(strategy).seed(seed).capacity(capacity).backend(b).sample(24).samples();
        }
    }

    private static void assertSame(List<double[]> expected, List<double[]> actual, String what) {
        assertEquals(expected.size(), actual.size());
        for (int i = 0; i < expected.size(); i++) assertArrayEquals(expected.get(i), actual.get(i), 0.0, what + ", sample " + i);
    }

    @Test
    void speculativeSamplesDoNotDependOnCapacityThreadsOrEarlyDecision() {
        Schedule s = Schedule.geometric(32, 0.02);
        SpeculativeSampler spec = Autospec.speculative();
        for (Denoiser model : MODELS) {
            List<double[]> ref = samples(model, s, spec, 7, Integer.MAX_VALUE, 1);
            for (int capacity : new int[] {1, 5, Integer.MAX_VALUE}) {
                for (int threads : new int[] {1, 2, 4}) {
                    for (boolean early : new boolean[] {true, false}) {
                        if (capacity == Integer.MAX_VALUE && threads == 1 && early) continue;
                        assertSame(ref, samples(model, s, spec.earlyDecision(early), 7, capacity, threads),
                                model.describe() + ", capacity " + capacity + ", threads " + threads + ", early " + early);
                    }
                }
            }
        }
    }

    @Test
    void sequentialAndPicardSamplesDoNotDependOnCapacityOrThreads() {
        Schedule s = Schedule.uniform(24, 0.05);
        for (Denoiser model : MODELS) {
            for (Strategy st : new Strategy[] {Autospec.sequential(), Autospec.picard(8, 1e-3)}) {
                List<double[]> ref = samples(model, s, st, 3, Integer.MAX_VALUE, 1);
                for (int capacity : new int[] {1, 5}) {
                    for (int threads : new int[] {2, 4}) {
                        assertSame(ref, samples(model, s, st, 3, capacity, threads),
                                model.describe() + " " + st + ", capacity " + capacity + ", threads " + threads);
                    }
                }
            }
        }
    }

    @Test
    void differentSeedsGiveDifferentSamplesAndSameSeedRepeats() {
        Denoiser model = MODELS[1];
        Schedule s = Schedule.uniform(16, 0.1);
        List<double[]> a = samples(model, s, Autospec.speculative(), 1, Integer.MAX_VALUE, 2);
        List<double[]> b = samples(model, s, Autospec.speculative(), 2, Integer.MAX_VALUE, 2);
        assertSame(a, samples(model, s, Autospec.speculative(), 1, Integer.MAX_VALUE, 2), "repeat");
        int equal = 0;
        for (int i = 0; i < a.size(); i++) if (java.util.Arrays.equals(a.get(i), b.get(i))) equal++;
        assertEquals(0, equal, "seeds 1 and 2 gave identical samples");
        // Within one run, samples differ from each other.
        assertFalse(java.util.Arrays.equals(a.get(0), a.get(1)));
    }

    /** Capacity changes launches, not rounds or queries. */
    @Test
    void capacitySplitsLaunchesOnly() {
        Schedule s = Schedule.uniform(16, 0.1);
        RunResult<double[]> big, small;
        try (CpuBackend b = new CpuBackend(1)) {
            big = Autospec.diffusion(MODELS[1], s).strategy(Autospec.speculative()).seed(5).backend(b).sample(24);
            small = Autospec.diffusion(MODELS[1], s).strategy(Autospec.speculative()).seed(5).capacity(5).backend(b).sample(24);
        }
        assertEquals(big.metrics().rounds(), small.metrics().rounds());
        assertEquals(big.metrics().queries(), small.metrics().queries());
        assertEquals(big.metrics().rounds(), big.metrics().launches());
        assertTrue(small.metrics().launches() > small.metrics().rounds());
        assertTrue(small.metrics().launches() >= (small.metrics().queries() + 4) / 5);
    }
}
