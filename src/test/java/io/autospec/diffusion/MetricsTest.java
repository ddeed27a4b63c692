package io.autospec.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.core.RunMetrics;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import java.util.Arrays;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Round and query accounting of the diffusion strategies. Deterministic (fixed seeds). */
class MetricsTest {
    private static CpuBackend backend;

    @BeforeAll
    static void start() {
        backend = new CpuBackend(1);
    }

    @AfterAll
    static void stop() {
        backend.close();
    }

    @Test
    void sequentialUsesExactlyNRoundsAndNQueriesPerSample() {
        Denoiser[] models = {IsotropicMixture.randomGmm(3, 2, 1), new BoxUniform(1, 0, 1)};
        for (Denoiser model : models) {
            for (Schedule s : new Schedule[] {Schedule.uniform(1, 0.5), Schedule.uniform(37, 0.1), Schedule.geometric(64, 0.01)}) {
                for (int m : new int[] {1, 13}) {
                    RunMetrics r = Autospec.diffusion(model, s).strategy(Autospec.sequential()).seed(2).backend(backend).sample(m).metrics();
                    assertEquals(s.steps(), r.rounds(), model.describe() + " " + s + " M=" + m);
                    assertEquals((long) s.steps() * m, r.queries());
                    assertEquals(r.rounds(), r.launches());
                    assertEquals(m, r.samples());
                    assertEquals(m, r.maxRoundQueries());
                }
            }
        }
    }

    /** Tiny schedules (1-3 steps) work for every strategy; Picard never exceeds N rounds. */
    @Test
    void tinySchedulesWorkForEveryStrategy() {
        Denoiser model = IsotropicMixture.atoms(new double[][] {{-1}, {1}}, null);
        for (int n = 1; n <= 3; n++) {
            Schedule s = Schedule.uniform(n, 0.2);
            RunResult<double[]> spec = Autospec.diffusion(model, s).strategy(Autospec.speculative()).seed(1).backend(backend).sample(5);
            RunResult<double[]> pic = Autospec.diffusion(model, s).strategy(Autospec.picard(2, 0)).seed(1).backend(backend).sample(5);
            RunResult<double[]> seq = Autospec.diffusion(model, s).strategy(Autospec.sequential()).seed(1).backend(backend).sample(5);
            assertEquals(5, spec.samples().size());
            assertTrue(spec.metrics().rounds() >= 1);
            if (n == 1) assertEquals(1, spec.metrics().rounds(), "a one-step span is its own exact speculation");
            assertTrue(pic.metrics().rounds() <= n);
            for (int i = 0; i < 5; i++) assertTrue(Arrays.equals(seq.samples().get(i), pic.samples().get(i)));
        }
    }

    /**
     * On a smooth target (nearly constant drift: N(m, 0.05 I) up to T = 1) the top-level speculation
     * is accepted, so the whole path takes 2 rounds (speculate, check) instead of N = 64. Measured:
     * 2 rounds for each of 20 single-sample seeds and for 16 samples together; asserted: at most N/4.
     * On a random mixture up to T = 1 the median single-sample run is far below N (measured mean 3.2,
     * max 14 of 64); asserted: median at most N/4.
     */
    @Test
    void speculativeNeedsFewerRoundsThanSequentialOnASmoothTarget() {
        Schedule s = Schedule.uniform(64, 1.0);
        RunMetrics smooth = Autospec.diffusion(IsotropicMixture.gaussian(new double[] {1, -1}, 0.05), s)
                .strategy(Autospec.speculative()).seed(99).backend(backend).sample(16).metrics();
        System.out.println("speculative, N(m, 0.05 I) on " + s + ", 16 samples: " + smooth.rounds() + " rounds (sequential: 64)");
        assertTrue(smooth.rounds() <= s.steps() / 4, "rounds " + smooth.rounds());
        long[] rounds = new long[21];
        IsotropicMixture gmm = IsotropicMixture.randomGmm(3, 2, 1);
        for (int seed = 0; seed < rounds.length; seed++) {
            rounds[seed] = Autospec.diffusion(gmm, s).strategy(Autospec.speculative()).seed(seed).backend(backend).sample(1).metrics().rounds();
        }
        Arrays.sort(rounds);
        System.out.println("speculative, " + gmm.describe() + " on " + s + ", single-sample rounds over 21 seeds: " + Arrays.toString(rounds));
        assertTrue(rounds[rounds.length / 2] <= s.steps() / 4, "median rounds " + rounds[rounds.length / 2]);
    }
}
