package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DiffusionStats;
import io.autospec.diffusion.Schedule;
import io.autospec.diffusion.models.IsotropicMixture;
import io.autospec.testing.GoodnessOfFit;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Exactness on learned (ONNX) denoisers. The law a learned denoiser defines is that of the
 * sequential sampler on the schedule with the drift f(t, x) = D(x/t; 1/sqrt(t)); every exact
 * strategy must reproduce it.
 *
 * <ul>
 *   <li>The exact denoiser of a known Gaussian mixture written as an ONNX graph gives the law of the
 *       built-in {@code gmm:} of the same mixture; graphs that feed sigma^2 or 1/sigma^2 (sigma taken
 *       as t) where sigma belongs are rejected by the same check. The recursion on the graph is
 *       checked against the built-in sequential sampler with the same power.</li>
 *   <li>{@code picard --tolerance 0} and {@code auto} return the sequential samples bit for bit on the
 *       trained digits denoiser and on the mixture graph, M = 1 and 64.</li>
 *   <li>The recursion against the exact discretised law of a 1-D ONNX denoiser (two atoms).</li>
 *   <li>The recursion against sequential on the digits denoiser.</li>
 * </ul>
 * Two-sample checks: KS on fixed projections (the d axes and 3 random directions, Bonferroni), the
 * repository's standard check (5 replicates at alpha = 0.01, fail on 3 or more rejections; false-failure
 * rate 9.9e-6 per check).
 */
class OnnxDenoiserExactnessTest {
    static final Path DIR = OnnxDenoiserTest.DIR;
    static final CpuBackend BACKEND = new CpuBackend(1);
    static OnnxDenoiser mixture, digits;
    static IsotropicMixture gmm;

    @BeforeAll
    static void setUp() {
        mixture = OnnxDenoiserTest.open(DIR.resolve("mixture.onnx"));
        digits = OnnxDenoiserTest.open(OnnxDenoiserTest.DIGITS);
        gmm = IsotropicMixture.readGmm(DIR.resolve("mixture.csv"));
    }

    @AfterAll
    static void tearDown() {
        mixture.close();
        digits.close();
    }

    static RunResult<double[]> run(Denoiser dn, Schedule s, Strategy st, long seed, int m) {
        return Autospec.diffusion(dn, s).strategy(st).seed(seed).backend(BACKEND).sample(m);
    }

    static GoodnessOfFit.Outcome compare(Denoiser reference, Denoiser other, Schedule s, Strategy st, int m, long seed) {
        int d = reference.dimension();
        double[][] dirs = DiffusionStats.directions(d, d == 1 ? 1 : Math.min(d, 8) + 3, 42);
        return GoodnessOfFit.standard(r -> DiffusionStats.ksProjectionsPValue(
                run(reference, s, Autospec.sequential(), seed + 2L * r, m).samples(),
                run(other, s, st, seed + 2L * r + 1, m).samples(), dirs));
    }

    static final Schedule MIXTURE_SCHEDULE = Schedule.geometric(32, 0.01);
    static final int MIXTURE_M = 1500;

    @Test
    void mixtureGraphHasTheLawOfTheBuiltInMixture() {
        GoodnessOfFit.Outcome o = compare(gmm, mixture, MIXTURE_SCHEDULE, Autospec.sequential(), MIXTURE_M, 100);
        System.out.println("KS onnx mixture (sequential) vs gmm (sequential): " + o);
        assertTrue(o.passed(), o::toString);
        o = compare(gmm, mixture, MIXTURE_SCHEDULE, Autospec.speculative(), MIXTURE_M, 200);
        System.out.println("KS onnx mixture (speculative) vs gmm (sequential): " + o);
        assertTrue(o.passed(), o::toString);
    }

    @Test
    void plantedSigmaConventionsAreRejected() {
        for (String planted : new String[] {"mixture-sigma-squared.onnx", "mixture-sigma-as-t.onnx"}) {
            try (OnnxDenoiser wrong = OnnxDenoiserTest.open(DIR.resolve(planted))) {
                GoodnessOfFit.Outcome o = compare(gmm, wrong, MIXTURE_SCHEDULE, Autospec.sequential(), MIXTURE_M, 300);
                System.out.println("KS planted " + planted + " vs gmm: " + o);
                assertFalse(o.passed(), planted + " was not rejected: " + o);
            }
        }
    }

    /** Power of the speculative-vs-sequential check on the graph: the recursion without its fallback is rejected. */
    @Test
    void speculativeWithoutFallbackIsRejectedOnTheMixtureGraph() {
        Strategy wrong = io.autospec.core.PlantedVariants.noFallback(Autospec.speculative());
        GoodnessOfFit.Outcome o = compare(gmm, mixture, Schedule.uniform(8, 0.1), wrong, MIXTURE_M, 500);
        System.out.println("KS planted no-fallback speculative on the onnx mixture vs gmm sequential: " + o);
        assertFalse(o.passed(), "no-fallback speculative was not rejected: " + o);
        o = compare(gmm, mixture, Schedule.uniform(8, 0.1), Autospec.speculative(), MIXTURE_M, 600);
        System.out.println("KS speculative on the onnx mixture vs gmm sequential, uniform(8, 0.1): " + o);
        assertTrue(o.passed(), o::toString);
    }

    @Test
    void fixedPointStrategiesReturnTheSequentialSamplesBitForBit() {
        Object[][] cases = {{digits, Schedule.geometric(48, 1e-2)}, {mixture, Schedule.geometric(128, 1e-3)}};
        for (Object[] c : cases) {
            OnnxDenoiser dn = (OnnxDenoiser) c[0];
            Schedule s = (Schedule) c[1];
            for (int m : new int[] {1, 64}) {
                List<double[]> seq = run(dn, s, Autospec.sequential(), 77, m).samples();
                for (Strategy st : new Strategy[] {Autospec.picard(16, 0), Autospec.auto()}) {
                    RunResult<double[]> r = run(dn, s, st, 77, m);
                    System.out.println("bit identity " + dn.describe() + " M=" + m + " " + st + ": " + r.metrics().summary());
                    assertEquals(m, r.samples().size());
                    for (int j = 0; j < m; j++) {
                        assertArrayEquals(seq.get(j), r.samples().get(j), dn.describe() + " " + st + " M=" + m + " sample " + j);
                    }
                }
            }
        }
    }

    @Test
    void speculativeMatchesSequentialOnTheDigitsDenoiser() {
        GoodnessOfFit.Outcome o = compare(digits, digits, Schedule.geometric(64, 1e-3), Autospec.speculative(), 200, 400);
        System.out.println("KS digits speculative vs sequential: " + o);
        assertTrue(o.passed(), o::toString);
    }

    // ---- the exact discretised law of a 1-D denoiser (as io.autospec.diffusion.DiscretisedLawTest) ----

    static final int BINS = 40, LAW_M = 10_000;
    static final double[] ATOMS = {-1.5, 1.5}, WEIGHTS = {0.7, 0.3};

    /** f(t, x) of the atoms in double (the graph computes it in float32). */
    static double drift(double t, double x) {
        double max = Double.NEGATIVE_INFINITY;
        double[] l = new double[ATOMS.length];
        for (int k = 0; k < ATOMS.length; k++) {
            l[k] = Math.log(WEIGHTS[k]) + x * ATOMS[k] - t * ATOMS[k] * ATOMS[k] / 2;
            max = Math.max(max, l[k]);
        }
        double num = 0, den = 0;
        for (int k = 0; k < ATOMS.length; k++) {
            double e = Math.exp(l[k] - max);
            num += e * ATOMS[k];
            den += e;
        }
        return num / den;
    }

    static double normalPdf(double x, double mean, double var) {
        double z = x - mean;
        return Math.exp(-z * z / (2 * var)) / Math.sqrt(2 * Math.PI * var);
    }

    /** Boundaries of BINS cells of equal probability under the exact law of X_T / T (grid convolutions). */
    static double[] exactQuantiles(Schedule s) {
        double T = s.horizon(), span = T * 3 + 12 * Math.sqrt(T), h = 0.05;
        int g = (int) Math.ceil(2 * span / h) + 1;
        double[] x = new double[g];
        for (int j = 0; j < g; j++) x[j] = -span + j * h;
        double[] p = new double[g];
        double m0 = drift(s.time(0), 0) * s.dt(0);
        for (int j = 0; j < g; j++) p[j] = normalPdf(x[j], m0, s.dt(0));
        for (int i = 1; i < s.steps(); i++) {
            double dt = s.dt(i), sd = Math.sqrt(dt);
            int reach = (int) Math.ceil(9 * sd / h);
            double[] next = new double[g];
            for (int j = 0; j < g; j++) {
                if (p[j] < 1e-300) continue;
                double mean = x[j] + drift(s.time(i), x[j]) * dt;
                int c = (int) Math.round((mean + span) / h);
                for (int k = Math.max(0, c - reach); k <= Math.min(g - 1, c + reach); k++) next[k] += p[j] * h * normalPdf(x[k], mean, dt);
            }
            p = next;
        }
        double[] cdf = new double[g];
        for (int j = 1; j < g; j++) cdf[j] = cdf[j - 1] + (p[j - 1] + p[j]) * h / 2;
        double total = cdf[g - 1];
        assertTrue(Math.abs(total - 1) < 1e-6, "grid lost mass: " + total);
        double[] q = new double[BINS - 1];
        int j = 0;
        for (int b = 1; b < BINS; b++) {
            double target = total * b / BINS;
            while (cdf[j + 1] < target) j++;
            q[b - 1] = (x[j] + (target - cdf[j]) / (cdf[j + 1] - cdf[j]) * h) / T;
        }
        return q;
    }

    static double pValue(List<double[]> samples, double[] quantiles) {
        long[] counts = new long[BINS];
        for (double[] v : samples) {
            int lo = 0, hi = quantiles.length;
            while (lo < hi) {
                int mid = (lo + hi) >>> 1;
                if (quantiles[mid] <= v[0]) lo = mid + 1;
                else hi = mid;
            }
            counts[lo]++;
        }
        double[] probs = new double[BINS];
        java.util.Arrays.fill(probs, 1.0 / BINS);
        return GoodnessOfFit.chiSquarePValue(probs, counts);
    }

    @Test
    void speculativeHasTheExactDiscretisedLawOfA1dDenoiser() {
        Schedule s = Schedule.uniform(8, 0.1);
        double[] q = exactQuantiles(s);
        try (OnnxDenoiser atoms = OnnxDenoiser.open(DIR.resolve("atoms1d.onnx"), OnnxDenoiserTest.ONE_THREAD.withChunk(256))) {
            for (Strategy st : new Strategy[] {Autospec.sequential(), Autospec.speculative()}) {
                GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> pValue(run(atoms, s, st, 900 + 7_919L * r, LAW_M).samples(), q));
                System.out.println("chi-square 1-D onnx atoms, " + st + " vs the exact discretised law: " + o);
                assertTrue(o.passed(), st + ": " + o);
            }
        }
    }
}
