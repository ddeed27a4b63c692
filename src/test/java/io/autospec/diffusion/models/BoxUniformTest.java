package io.autospec.diffusion.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.diffusion.DriftBatch;
import java.math.BigDecimal;
import java.math.MathContext;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The box denoiser (mean of a truncated normal) against 60-digit references computed by
 * {@link TruncatedNormalReference} (Romberg integration in BigDecimal, no special functions), across
 * the regimes: mode inside the box, just outside, far outside (x/t far from the box, t up to
 * 1e12), tiny t (box much narrower than the posterior), asymmetric and offset boxes.
 */
class BoxUniformTest {

    /**
     * Accuracy bound: 1e-13 relative to the distance from the mean to the nearer end of the box
     * (the meaningful scale in the tails, where the mean hugs an end), plus two ulps of that end
     * and of the result (the rounding of lo + small excess is unavoidable).
     */
    static void assertAccurate(double t, double x, double lo, double hi) {
        double f = BoxUniform.posteriorMean(t, x, lo, hi);
        BigDecimal ref = TruncatedNormalReference.mean(t, x, lo, hi);
        double r = ref.doubleValue();
        double err = new BigDecimal(f).subtract(ref).abs().doubleValue();
        double nearEnd = Math.abs(r - lo) <= Math.abs(hi - r) ? lo : hi;
        double tol = 1e-13 * Math.abs(r - nearEnd) + 2 * Math.ulp(nearEnd) + 2 * Math.ulp(r);
        assertTrue(err <= tol, String.format("t=%s x=%s box [%s, %s]: got %s, reference %s (error %.3g > %.3g)",
                t, x, lo, hi, f, ref.round(new MathContext(25)), err, tol));
    }

    @Test
    void matchesHighPrecisionReferenceInEveryRegime() {
        double[][] cases = {
            // mode inside the box
            {1, 0.3, 0, 1}, {1e6, 0.5e6, 0, 1}, {1e6, 0.999e6, 0, 1}, {2, -0.1, -1, 1}, {1e-4, 0.01, -1, 1},
            {50, 10, -1, 1}, {0.01, 0.005, 0, 1}, {1e4, 1.7e4, -2, 3},
            // mode just outside, moderate t
            {1, -0.5, 0, 1}, {2, -0.1, 0, 1}, {50, -0.2, 0, 1}, {4, -8.1, -2, 2}, {1, 1.3, 0, 1},
            // far tails, large t: the mean hugs an end, at distance ~ 1 / (t |lo - x/t|)
            {1e6, -5e6, 0, 1}, {1e6, 3e6, 0, 1}, {1e6, -1e5, 0, 1}, {100, -300, 0, 1}, {1e3, -2e3, -1, 1},
            {1e12, -1e12, 0, 1}, {1e8, 5e9, -2, 0.5}, {1e4, -1, 0, 1}, {1, 40, 0, 1}, {1, -1e3, 0, 1}, {3, 1e5, 0, 1},
            // tiny t: the box is narrow compared with the posterior width; huge |x / t|
            {1e-6, 1e-3, 0, 1}, {1e-8, -1, 0, 1}, {1e-8, 1, 0, 1}, {1e-10, 3e-5, -1, 1}, {1e-3, 0.5, 0, 1},
            // offset and wide boxes
            {1, 1000.5, 1000, 1001}, {0.1, -5, -3, 7}, {10, 70, -3, 7},
            // the regime switches of the implementation: alpha*w + w^2/2 = 4, Mills-ratio argument 2
            {1, -1.5, 0, 2.0}, {1, -1.5000001, 0, 2.0}, {1, -1.4999999, 0, 2.0}, {4, -4, 0, 1}, {4, -3.99, 0, 1},
        };
        for (double[] c : cases) assertAccurate(c[0], c[1], c[2], c[3]);
        // A seeded sweep over log t and the position of x / t relative to [-1, 2].
        Random rnd = new Random(17);
        for (int i = 0; i < 40; i++) {
            double t = Math.pow(10, -6 + 12 * rnd.nextDouble());
            double o = -1 + 3 * (rnd.nextDouble() * 3 - 1) + (rnd.nextBoolean() ? 0 : 20 * rnd.nextGaussian() / Math.sqrt(t));
            assertAccurate(t, o * t, -1, 2);
        }
    }

    /** E[Z - a | Z &gt; a] for a standard normal, from the reference with t = 1 and an unbounded box. */
    @Test
    void millsExcessMatchesReference() {
        for (double a : new double[] {0, 0.3, 1, 1.99, 2, 2.01, 2.49, 2.5, 3, 3.99, 4, 6, 7.99, 8, 12, 40, 1e3, 1e6}) {
            BigDecimal[] i = TruncatedNormalReference.integrals(1.0, new BigDecimal(a), new BigDecimal(1e9));
            double ref = i[1].divide(i[0], MathContext.DECIMAL128).doubleValue();
            double k = BoxUniform.millsExcess(a);
            assertEquals(ref, k, 2e-15 * ref * (a < 2 ? 10 : 1), "K(" + a + ")");
            assertEquals(1 / (a + ref), BoxUniform.millsRatio(a), 2e-15 / (a + ref) * (a < 2 ? 10 : 1), "R(" + a + ")");
        }
    }

    @Test
    void timeZeroGivesTheMidpoint() {
        assertEquals(0.5, BoxUniform.posteriorMean(0, 123, 0, 1), 0.0);
        assertEquals(2.0, BoxUniform.posteriorMean(0, -7, -1, 5), 0.0);
    }

    /** The posterior mean of an exponential family is non-decreasing in x and stays in the box. */
    @Test
    void monotoneAndBoundedAcrossTheWholeLine() {
        for (double t : new double[] {1e-9, 1e-3, 0.5, 1, 7, 1e3, 1e7, 1e11}) {
            double prev = Double.NEGATIVE_INFINITY;
            for (int i = -2000; i <= 2000; i++) {
                double o = -1 + 3 * Math.sinh(i / 200.0) / Math.sinh(10.0) * 1e4 + 0.5; // dense near the box, far tails too
                double m = BoxUniform.posteriorMean(t, o * t, -1, 2);
                assertTrue(m >= -1 && m <= 2, "t=" + t + " o=" + o + ": " + m);
                assertTrue(m >= prev, "t=" + t + " o=" + o + ": " + m + " < " + prev);
                prev = m;
            }
        }
    }

    @Test
    void mirrorSymmetry() {
        Random rnd = new Random(3);
        for (int i = 0; i < 200; i++) {
            double t = Math.pow(10, -6 + 12 * rnd.nextDouble());
            double x = t * 10 * rnd.nextGaussian();
            double a = BoxUniform.posteriorMean(t, x, -1, 2);
            double b = -BoxUniform.posteriorMean(t, -x, -2, 1);
            assertEquals(a, b, 1e-14 * (1 + Math.abs(a)), "t=" + t + " x=" + x);
        }
    }

    @Test
    void denoisesEachCoordinateIndependently() {
        BoxUniform box = new BoxUniform(3, -1, 1);
        DriftBatch batch = new DriftBatch(box);
        double[][] xs = {{0.2, -5, 40}, {0, 0, 0}, {1e3, -1e3, 0.5}};
        double[] ts = {1, 0, 100};
        for (int j = 0; j < 3; j++) System.arraycopy(xs[j], 0, batch.points(), batch.add(ts[j], 0, j), 3);
        box.denoise(batch, 0, 3, batch.out());
        for (int j = 0; j < 3; j++) {
            double[] expect = new double[3];
            for (int i = 0; i < 3; i++) expect[i] = BoxUniform.posteriorMean(ts[j], xs[j][i], -1, 1);
            double[] got = new double[3];
            System.arraycopy(batch.out(), 3 * j, got, 0, 3);
            assertArrayEquals(expect, got, 0.0);
        }
        assertArrayEquals(new double[] {0, 0, 0}, Denoisers.evaluate(box, 0, new double[] {5, 5, 5}), 0.0);
        assertTrue(box.describe().contains("d=3"), box.describe());
    }
}
