package io.autospec.diffusion;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import io.autospec.testing.WithCpuBackend;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Picard iteration uses the sequential sampler's noise, so with tolerance 0 it must return the
 * sequential Euler-Maruyama samples exactly (bit for bit), and with tolerance &gt; 0 its distance to
 * them measures its approximation error. Deterministic checks (fixed seeds), no statistics.
 */
class PicardTest extends WithCpuBackend {
    private static final Denoiser[] MODELS = {
        IsotropicMixture.randomGmm(4, 2, 3),
        IsotropicMixture.atoms(new double[][] {{-2, 0, 1}, {2, 1, 0}, {0, -2, -1}}, null),
        new BoxUniform(2, -1, 1),
    };

    private static final Schedule[] SCHEDULES = {Schedule.uniform(64, 0.01), Schedule.geometric(128, 0.005)};

    private static RunResult<double[]> run(Denoiser model, Schedule s, io.autospec.core.Strategy strategy, int samples) {
        return Autospec.diffusion(model, s).strategy(strategy).seed(31).backend(backend).sample(samples);
    }

    @Test
    void toleranceZeroReproducesSequentialBitForBit() {
        for (Denoiser model : MODELS) {
            for (Schedule s : SCHEDULES) {
                RunResult<double[]> seq = run(model, s, Autospec.sequential(), 20);
                for (int window : new int[] {1, 3, 16, s.steps(), 4 * s.steps()}) {
                    RunResult<double[]> pic = run(model, s, Autospec.picard(window, 0), 20);
                    for (int i = 0; i < 20; i++) {
                        assertArrayEquals(seq.samples().get(i), pic.samples().get(i), 0.0,
                                model.describe() + " on " + s + ", window " + window + ", sample " + i);
                    }
                    assertTrue(pic.metrics().rounds() <= s.steps(),
                            "Picard used " + pic.metrics().rounds() + " rounds > N = " + s.steps());
                    assertTrue(pic.exact(), "Picard at tolerance 0 reproduces sequential: it must report itself exact");
                }
            }
        }
    }

    /**
     * With tolerance &gt; 0 the output moves away from the sequential path by an amount that grows
     * with the tolerance. Printed: RMS distance and rounds; asserted only loose, robust bounds:
     * RMS per coordinate &lt;= tolerance (measured 0.03-0.4 x tolerance) and rounds &lt;= N.
     */
    @Test
    void positiveToleranceStaysCloseAndSavesRounds() {
        int m = 40;
        for (Denoiser model : MODELS) {
            for (Schedule s : SCHEDULES) {
                RunResult<double[]> seq = run(model, s, Autospec.sequential(), m);
                RunResult<double[]> exactPicard = run(model, s, Autospec.picard(16, 0), m);
                for (double tol : new double[] {1e-6, 1e-3, 1e-2, 1e-1}) {
                    RunResult<double[]> pic = run(model, s, Autospec.picard(16, tol), m);
                    assertFalse(pic.exact(), "Picard at tolerance " + tol + " must report itself approximate");
                    double rms = rms(seq.samples(), pic.samples());
                    long rounds = pic.metrics().rounds();
                    System.out.printf("Picard window 16, tol %g, %s on %s: RMS distance to sequential %.3g, rounds %d"
                            + " (sequential %d, Picard tol 0: %d; saved %d vs sequential)%n",
                            tol, model.describe(), s, rms, rounds, seq.metrics().rounds(), exactPicard.metrics().rounds(),
                            seq.metrics().rounds() - rounds);
                    assertTrue(rms <= tol, "RMS distance " + rms + " > tolerance " + tol);
                    assertTrue(rounds <= s.steps(), "rounds " + rounds + " > N");
                }
            }
        }
    }

    /** On a smooth target Picard with a window needs clearly fewer rounds than N (robust: measured 20-40 of 64-128). */
    @Test
    void picardSavesRoundsOnASmoothTarget() {
        Schedule s = Schedule.uniform(64, 0.01);
        RunResult<double[]> pic = run(IsotropicMixture.gaussian(new double[] {1, -1}, 0.5), s, Autospec.picard(16, 1e-3), 8);
        assertTrue(pic.metrics().rounds() < s.steps() / 2, "rounds " + pic.metrics().rounds());
    }

    @Test
    void invalidSettingsAreRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Autospec.picard(0, 0.1));
        assertTrue(e.getMessage().contains("window"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Autospec.picard(4, -1));
        assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> Autospec.picard(4, Double.NaN));
        assertTrue(e.getMessage().contains("tolerance"), e.getMessage());
    }

    static double rms(List<double[]> a, List<double[]> b) {
        double ss = 0;
        int n = 0;
        for (int i = 0; i < a.size(); i++) {
            for (int c = 0; c < a.get(i).length; c++) {
                double e = a.get(i)[c] - b.get(i)[c];
                ss += e * e;
                n++;
            }
        }
        return Math.sqrt(ss / n);
    }
}
