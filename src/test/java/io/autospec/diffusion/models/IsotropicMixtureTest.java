package io.autospec.diffusion.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.diffusion.DriftBatch;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The mixture denoiser against a direct, per-query computation of the posterior that shares no code
 * with it: responsibilities from the full Gaussian log-densities log w_k + log N(x/t; m_k, (s_k^2 +
 * 1/t) I) (evaluated as |x/t - m_k|^2, not through the expanded inner products), a log-sum-exp, and
 * the conditional means (m_k + s_k^2 x) / (1 + t s_k^2).
 */
class IsotropicMixtureTest {

    /** Direct f(t, x) for a mixture given by its parameters (t &gt; 0). */
    static double[] bruteForce(double[] w, double[][] m, double[] v, double t, double[] x) {
        int k = w.length, d = x.length;
        double[] logp = new double[k];
        double max = Double.NEGATIVE_INFINITY;
        for (int c = 0; c < k; c++) {
            double var = v[c] + 1 / t;
            double sq = 0;
            for (int i = 0; i < d; i++) {
                double e = x[i] / t - m[c][i];
                sq += e * e;
            }
            logp[c] = Math.log(w[c]) - 0.5 * d * Math.log(2 * Math.PI * var) - sq / (2 * var);
            max = Math.max(max, logp[c]);
        }
        double z = 0;
        for (int c = 0; c < k; c++) z += Math.exp(logp[c] - max);
        double[] f = new double[d];
        for (int c = 0; c < k; c++) {
            double r = Math.exp(logp[c] - max) / z;
            for (int i = 0; i < d; i++) f[i] += r * (m[c][i] + v[c] * x[i]) / (1 + t * v[c]);
        }
        return f;
    }

    static double[][] rows(IsotropicMixture mix) {
        double[] flat = mix.means();
        int k = mix.components(), d = mix.dimension();
        double[][] m = new double[k][d];
        for (int c = 0; c < k; c++) System.arraycopy(flat, c * d, m[c], 0, d);
        return m;
    }

    /** Evaluates queries (t_j, x_j) in one batch, with the denoiser called on [from, to) chunks of the given size. */
    static double[][] evaluate(IsotropicMixture mix, double[] ts, double[][] xs, int chunk) {
        DriftBatch batch = new DriftBatch(mix);
        int d = mix.dimension();
        for (int j = 0; j < ts.length; j++) {
            int off = batch.add(ts[j], 0, j);
            System.arraycopy(xs[j], 0, batch.points(), off, d);
        }
        for (int from = 0; from < ts.length; from += chunk) mix.denoise(batch, from, Math.min(ts.length, from + chunk), batch.out());
        double[][] f = new double[ts.length][d];
        for (int j = 0; j < ts.length; j++) System.arraycopy(batch.out(), j * d, f[j], 0, d);
        return f;
    }

    /** Query points typical of the process at time t: x = t y + sqrt(t) g with y near a component. */
    static double[][] points(IsotropicMixture mix, double[] ts, long seed, double spread) {
        Random rnd = new Random(seed);
        double[] means = mix.means();
        int k = mix.components(), d = mix.dimension();
        double[][] xs = new double[ts.length][d];
        for (int j = 0; j < ts.length; j++) {
            int c = rnd.nextInt(k);
            for (int i = 0; i < d; i++) {
                double y = means[c * d + i] + spread * rnd.nextGaussian();
                xs[j][i] = ts[j] * y + Math.sqrt(ts[j]) * rnd.nextGaussian();
            }
        }
        return xs;
    }

    static void assertClose(double[] expected, double[] actual, double tol, String what) {
        for (int i = 0; i < expected.length; i++) {
            double err = Math.abs(expected[i] - actual[i]);
            assertTrue(err <= tol * (1 + Math.abs(expected[i])),
                    what + ": coordinate " + i + " expected " + expected[i] + " got " + actual[i] + " (error " + err + ")");
        }
    }

    @Test
    void matchesTheDirectPosteriorAtModerateTimes() {
        IsotropicMixture[] models = {
            IsotropicMixture.randomGmm(7, 3, 2),
            // mixed: a point mass, a zero-weight component, and Gaussians of different widths
            new IsotropicMixture(new double[] {2, 0, 1, 3}, new double[][] {{0, 1}, {5, 5}, {-1, -1}, {1.5, -0.5}},
                    new double[] {0, 0.3, 1.7, 0.02}, "mixed"),
            IsotropicMixture.atoms(new double[][] {{-1, 0, 2, 1}, {0.5, 0.5, 0.5, 0.5}, {2, -2, 0, 1}}, new double[] {1, 2, 3}),
        };
        double[] grid = {1e-4, 1e-2, 0.3, 1, 4, 30, 100};
        for (IsotropicMixture mix : models) {
            double[] ts = new double[grid.length * 20];
            for (int j = 0; j < ts.length; j++) ts[j] = grid[j % grid.length];
            double[][] xs = points(mix, ts, 7, 0.7);
            double[][] f = evaluate(mix, ts, xs, ts.length);
            double[] w = mix.weights();
            for (int j = 0; j < ts.length; j++) {
                double[] ref = bruteForce(w, rows(mix), mix.variances(), ts[j], xs[j]);
                assertClose(ref, f[j], 1e-11, mix.describe() + " at t=" + ts[j]);
            }
        }
    }

    /**
     * Large t (1e6) and large |x|: the expanded logits are of size t |m|^2 ~ 1e7, so their rounding
     * (~1e-9) bounds the agreement where two components compete; outputs must stay finite and
     * within 1e-8 relative of the direct computation.
     */
    @Test
    void staysAccurateAtExtremeTimesAndPoints() {
        IsotropicMixture[] models = {IsotropicMixture.randomGmm(5, 2, 9),
            IsotropicMixture.atoms(new double[][] {{-3, 3}, {3, 3}, {0, -3}, {0.1, 0}}, null)};
        for (IsotropicMixture mix : models) {
            double[] ts = new double[60];
            for (int j = 0; j < ts.length; j++) ts[j] = j % 3 == 0 ? 1e6 : j % 3 == 1 ? 1e4 : 1e-7;
            double[][] xs = points(mix, ts, 3, 0.3);
            // a few far points: |x| ~ 1e8 at moderate and large t
            xs[1] = new double[] {1e8, -3e7};
            xs[2] = new double[] {-5e7, 2e8};
            ts[2] = 1.0;
            double[][] f = evaluate(mix, ts, xs, ts.length);
            for (int j = 0; j < ts.length; j++) {
                for (double v : f[j]) assertTrue(Double.isFinite(v), mix.describe() + ": non-finite drift at t=" + ts[j]);
                double[] ref = bruteForce(mix.weights(), rows(mix), mix.variances(), ts[j], xs[j]);
                assertClose(ref, f[j], 1e-8, mix.describe() + " at t=" + ts[j] + ", x=" + java.util.Arrays.toString(xs[j]));
            }
        }
        // Far from every atom at large t the posterior is the atom with the largest <x, y> - t|y|^2/2.
        IsotropicMixture atoms = models[1];
        double[][] f = evaluate(atoms, new double[] {1e6, 1e6}, new double[][] {{1e6 * 0.1 + 5, 1e6 * 0.0}, {-1e12, 1e12}}, 2);
        assertArrayEquals(new double[] {0.1, 0}, f[0], 0.0);
        assertArrayEquals(new double[] {-3, 3}, f[1], 0.0);
    }

    /** A Gaussian's denoiser is affine: f(t, x) = (m + s^2 x) / (1 + t s^2), at every t and x. */
    @Test
    void gaussianDenoiserIsTheAffineFormula() {
        double[] m = {1, -2, 0.5};
        double s2 = 0.7;
        IsotropicMixture g = IsotropicMixture.gaussian(m, s2);
        double[] ts = {0, 1e-9, 1e-3, 1, 50, 1e6, 1e9};
        double[][] xs = new double[ts.length][];
        Random rnd = new Random(1);
        for (int j = 0; j < ts.length; j++) xs[j] = new double[] {1e3 * rnd.nextGaussian(), rnd.nextGaussian(), -1e7};
        double[][] f = evaluate(g, ts, xs, 3);
        for (int j = 0; j < ts.length; j++) {
            double[] ref = new double[3];
            for (int i = 0; i < 3; i++) ref[i] = ts[j] == 0 ? m[i] : (m[i] + s2 * xs[j][i]) / (1 + ts[j] * s2);
            assertClose(ref, f[j], 1e-14, "t=" + ts[j]);
        }
    }

    @Test
    void timeZeroGivesTheMixtureMeanWhateverX() {
        IsotropicMixture mix = IsotropicMixture.randomGmm(6, 4, 5);
        double[] mean = new double[4];
        double[] w = mix.weights(), means = mix.means();
        for (int c = 0; c < 6; c++) for (int i = 0; i < 4; i++) mean[i] += w[c] * means[c * 4 + i];
        assertArrayEquals(mean, mix.mean(), 1e-15);
        double[][] f = evaluate(mix, new double[] {0, 0}, new double[][] {{0, 0, 0, 0}, {1e3, -5, 2, 7}}, 2);
        assertArrayEquals(mean, f[0], 1e-15);
        assertArrayEquals(mean, f[1], 1e-15);
    }

    @Test
    void atomsAgreeWithAZeroVarianceMixtureAndTheGeneralPath() {
        double[][] pts = {{-1, 2}, {3, 0.5}, {0, 0}, {2, -2}};
        double[] w = {0.1, 0.4, 0.2, 0.3};
        IsotropicMixture atoms = IsotropicMixture.atoms(pts, w);
        IsotropicMixture zeroVar = new IsotropicMixture(w, pts, new double[4], "zero variance");
        // Tiny but non-zero variances take the general (non-atomic) path; it must agree to rounding.
        IsotropicMixture tinyVar = new IsotropicMixture(w, pts, new double[] {1e-300, 1e-300, 1e-300, 1e-300}, "tiny variance");
        assertTrue(atoms.isAtomic() && zeroVar.isAtomic());
        assertFalse(tinyVar.isAtomic());
        double[] ts = {0, 1e-3, 0.5, 2, 20, 1e5};
        double[][] xs = points(atoms, ts, 11, 0.5);
        double[][] a = evaluate(atoms, ts, xs, ts.length);
        double[][] z = evaluate(zeroVar, ts, xs, ts.length);
        double[][] tv = evaluate(tinyVar, ts, xs, ts.length);
        for (int j = 0; j < ts.length; j++) {
            assertArrayEquals(a[j], z[j], 0.0, "atoms vs zero-variance mixture at t=" + ts[j]);
            assertClose(a[j], tv[j], 1e-13, "atoms vs tiny-variance mixture at t=" + ts[j]);
        }
    }

    /**
     * The blocked two-GEMM path (query blocks, component tiles, 2x2 register blocks) computes each
     * query with the same operations whatever block it falls in: evaluating the whole batch at once,
     * one query per call, or in odd-sized chunks gives bit-identical drifts; and they match the
     * direct computation. k = 150 spans several component tiles (64) and an odd remainder.
     */
    @Test
    void blockedPathMatchesPerQueryEvaluation() {
        IsotropicMixture mix = IsotropicMixture.randomGmm(151, 5, 4);
        int n = 301;
        double[] ts = new double[n];
        Random rnd = new Random(2);
        for (int j = 0; j < n; j++) ts[j] = j % 17 == 0 ? 0 : Math.exp(rnd.nextDouble() * 12 - 6);
        double[][] xs = points(mix, ts, 5, 0.5);
        double[][] whole = evaluate(mix, ts, xs, n);
        double[][] single = evaluate(mix, ts, xs, 1);
        double[][] odd = evaluate(mix, ts, xs, 7);
        for (int j = 0; j < n; j++) {
            assertArrayEquals(single[j], whole[j], 0.0, "query " + j);
            assertArrayEquals(single[j], odd[j], 0.0, "query " + j);
            if (ts[j] > 0) {
                double[] ref = bruteForce(mix.weights(), rows(mix), mix.variances(), ts[j], xs[j]);
                assertClose(ref, whole[j], 1e-11, "query " + j + " at t=" + ts[j]);
            }
        }
    }

    @Test
    void randomGmmIsDeterministicAndWithinItsDocumentedRanges() {
        IsotropicMixture a = IsotropicMixture.randomGmm(8, 3, 42), b = IsotropicMixture.randomGmm(8, 3, 42);
        IsotropicMixture c = IsotropicMixture.randomGmm(8, 3, 43);
        assertArrayEquals(a.weights(), b.weights(), 0.0);
        assertArrayEquals(a.means(), b.means(), 0.0);
        assertArrayEquals(a.variances(), b.variances(), 0.0);
        assertFalse(java.util.Arrays.equals(a.means(), c.means()));
        double sum = 0;
        for (double w : a.weights()) {
            assertTrue(w > 0);
            sum += w;
        }
        assertEquals(1.0, sum, 1e-12);
        for (double m : a.means()) assertTrue(m >= -3 && m <= 3);
        for (double v : a.variances()) assertTrue(v >= 0.05 && v <= 0.5);
        assertEquals(8, a.components());
        assertEquals(3, a.dimension());
        assertEquals(8 * 3, a.means().length);
    }

    @Test
    void accessorsExposeNormalisedParametersRowMajor() {
        IsotropicMixture mix = new IsotropicMixture(new double[] {1, 3}, new double[][] {{1, 2, 3}, {4, 5, 6}},
                new double[] {0.5, 0}, "two");
        assertArrayEquals(new double[] {0.25, 0.75}, mix.weights(), 0.0);
        assertArrayEquals(new double[] {1, 2, 3, 4, 5, 6}, mix.means(), 0.0);
        assertArrayEquals(new double[] {0.5, 0}, mix.variances(), 0.0);
        assertEquals(2, mix.components());
        assertEquals(3, mix.dimension());
        assertEquals("two", mix.describe());
        assertArrayEquals(new double[] {3.25, 4.25, 5.25}, mix.mean(), 1e-15);
        // The accessors are copies.
        mix.means()[0] = 99;
        assertEquals(1.0, mix.means()[0], 0.0);
    }
}
