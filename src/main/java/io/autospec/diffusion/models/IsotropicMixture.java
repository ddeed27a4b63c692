package io.autospec.diffusion.models;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftQueries;
import io.autospec.spi.Key;
import io.autospec.spi.Purpose;
import java.nio.file.Path;

/**
 * A mixture of isotropic Gaussians mu = sum_k w_k N(m_k, s_k^2 I) on R^d, with an exact denoiser.
 * Components with s_k = 0 are point masses, so a finite set of atoms (an empirical distribution) is
 * the special case of all variances zero.
 *
 * <h2>The denoiser</h2>
 * Given x at time t &gt; 0 the observation o = x / t has law N(m_k, (s_k^2 + 1/t) I) under component
 * k. With c_k = 1 / (1 + t s_k^2) the posterior responsibilities are r_k = softmax_k(l_k), where
 * (dropping terms that do not depend on k)
 * <pre>
 *   l_k = log w_k - (d/2) log(1 + t s_k^2) + |x|^2 s_k^2 c_k / 2 + c_k (&lt;x, m_k&gt; - t |m_k|^2 / 2),
 * </pre>
 * obtained from |x - t m_k|^2 = |x|^2 - 2 t &lt;x, m_k&gt; + t^2 |m_k|^2. For atoms (s_k = 0) this is
 * the familiar &lt;x, y_k&gt; - t |y_k|^2 / 2 + log w_k. Given k, E[Y | k, x] = c_k (m_k + s_k^2 x), so
 * <pre>
 *   f(t, x) = sum_k r_k c_k m_k + (sum_k r_k c_k s_k^2) x.
 * </pre>
 * For a block of queries the inner products &lt;x, m_k&gt; are one matrix product
 * (queries x d)(d x k), the responsibilities a stable (log-sum-exp) softmax per query, and the
 * weighted means a second matrix product (queries x k)(k x d) -- the two products the CUDA
 * backend runs as kernels of its own (the cuda module's MixtureFamily). At t = 0, f is the mixture
 * mean sum_k w_k m_k (whatever x is).
 *
 * <p>The CPU path processes queries in blocks sized so the block's logits stay in cache, and
 * components in tiles; every query's result is computed with the same sequence of floating-point
 * operations whatever block it falls in, so results do not depend on how a batch is split between
 * threads or launches.
 */
public final class IsotropicMixture implements Denoiser {
    /** Tag (with {@link Purpose#TAG_MODEL}) of the key stream of {@link #randomGmm}. */
    static final int MODEL_TAG_RANDOM_GMM = 20;
    private static final int MODEL_TAG_RANDOM_ATOMS = 21;

    /** Components per tile of the first product (their means stay in L1 while queries stream by). */
    private static final int COMPONENT_TILE = 64;
    /** Target size (doubles) of a block's logit buffer. */
    private static final int LOGIT_BUFFER = 1 << 14;
    /** Most queries per block. */
    private static final int MAX_BLOCK = 64;

    private final int k, d;
    private final double[] weights;     // normalised, k
    private final double[] logWeights;  // k (-inf for zero weight)
    private final double[] means;       // k x d row-major
    private final double[] variances;   // k
    private final double[] halfMeanSq;  // |m_k|^2 / 2
    private final double[] mixtureMean; // d
    private final boolean atomic;       // every variance is zero
    private final String description;

    /**
     * A mixture sum_k w_k N(m_k, s_k^2 I).
     *
     * @param weights     w_k &gt;= 0, finite, with a positive sum (they are normalised)
     * @param means       m_k, all of the same dimension d &gt;= 1, finite
     * @param variances   s_k^2 &gt;= 0, finite (0: a point mass at m_k)
     * @param description a short description for reports, or null for a default one
     * @throws IllegalArgumentException naming the offending component
     */
    public IsotropicMixture(double[] weights, double[][] means, double[] variances, String description) {
        if (weights == null || means == null || variances == null) {
            throw new IllegalArgumentException("weights, means and variances must not be null");
        }
        k = means.length;
        if (k < 1) throw new IllegalArgumentException("a mixture needs at least one component");
        if (weights.length != k || variances.length != k) {
            throw new IllegalArgumentException("a mixture needs one weight, mean and variance per component: got "
                    + weights.length + " weights, " + k + " means, " + variances.length + " variances");
        }
        if (means[0] == null) throw new IllegalArgumentException("component 0: mean is null");
        d = means[0].length;
        if (d < 1) throw new IllegalArgumentException("component 0: the mean has no coordinates (d must be >= 1)");
        this.means = new double[Math.multiplyExact(k, d)];
        this.weights = new double[k];
        this.logWeights = new double[k];
        this.variances = new double[k];
        this.halfMeanSq = new double[k];
        double total = 0;
        boolean allZero = true;
        for (int c = 0; c < k; c++) {
            double w = weights[c];
            if (!Double.isFinite(w) || w < 0) {
                throw new IllegalArgumentException("component " + c + ": weight " + w + " is not a finite number >= 0");
            }
            double v = variances[c];
            if (!Double.isFinite(v) || v < 0) {
                throw new IllegalArgumentException("component " + c + ": variance " + v + " is not a finite number >= 0");
            }
            double[] m = means[c];
            if (m == null) throw new IllegalArgumentException("component " + c + ": mean is null");
            if (m.length != d) {
                throw new IllegalArgumentException("component " + c + ": mean has " + m.length
                        + " coordinates, but component 0 has " + d);
            }
            double sq = 0;
            for (int i = 0; i < d; i++) {
                if (!Double.isFinite(m[i])) {
                    throw new IllegalArgumentException("component " + c + ": mean coordinate " + i + " is " + m[i]);
                }
                this.means[c * d + i] = m[i];
                sq += m[i] * m[i];
            }
            if (!Double.isFinite(sq)) {
                double largest = 0;
                for (double x : m) largest = Math.max(largest, Math.abs(x));
                throw new IllegalArgumentException("component " + c + ": mean is too large (|m|^2 overflows; largest |coordinate| " + largest + ")");
            }
            halfMeanSq[c] = sq / 2;
            this.variances[c] = v;
            if (v != 0) allZero = false;
            total += w;
        }
        if (!(total > 0) || !Double.isFinite(total)) {
            throw new IllegalArgumentException("mixture weights must have a positive, finite sum, got " + total);
        }
        mixtureMean = new double[d];
        for (int c = 0; c < k; c++) {
            this.weights[c] = weights[c] / total;
            logWeights[c] = Math.log(this.weights[c]);
            for (int i = 0; i < d; i++) mixtureMean[i] += this.weights[c] * this.means[c * d + i];
        }
        atomic = allZero;
        this.description = description != null ? description
                : (atomic ? "atoms(k=" + k + ", d=" + d + ")" : "gmm(k=" + k + ", d=" + d + ")");
    }

    /**
     * The Gaussian N(mean, variance I) (a point mass when variance = 0).
     *
     * @param mean     the mean, d entries
     * @param variance the variance of every coordinate, non-negative
     * @return the model
     */
    public static IsotropicMixture gaussian(double[] mean, double variance) {
        if (mean == null) throw new IllegalArgumentException("mean must not be null");
        return new IsotropicMixture(new double[] {1}, new double[][] {mean.clone()}, new double[] {variance},
                "gaussian(d=" + mean.length + ", variance=" + variance + ")");
    }

    /**
     * The finite distribution on {@code points} (all of one dimension) with the given weights, or
     * uniform weights when {@code weightsOrNull} is null.
     *
     * @param points        the atoms, K x d
     * @param weightsOrNull K non-negative weights (need not sum to 1), or null
     * @return the model
     */
    public static IsotropicMixture atoms(double[][] points, double[] weightsOrNull) {
        if (points == null) throw new IllegalArgumentException("points must not be null");
        int k = points.length;
        double[] w = weightsOrNull;
        if (w == null) {
            w = new double[k];
            java.util.Arrays.fill(w, 1.0);
        } else if (w.length != k) {
            throw new IllegalArgumentException("atoms: " + k + " points but " + w.length + " weights");
        }
        int d = k > 0 && points[0] != null ? points[0].length : 0;
        return new IsotropicMixture(w, points, new double[k], "atoms(k=" + k + ", d=" + d + ")");
    }

    /**
     * A random Gaussian mixture with {@code k} components in R^d, a deterministic function of
     * {@code seed} (the model's own Philox stream, {@code Key.ofSeed(seed).derive(TAG_MODEL, 20, 0)}):
     * each mean coordinate uniform in [-3, 3], each variance uniform in [0.05, 0.5], and the weights
     * Dirichlet(1, ..., 1) (normalised standard exponentials).
     *
     * @param k    components
     * @param d    dimension
     * @param seed the model's seed
     * @return the model
     */
    public static IsotropicMixture randomGmm(int k, int d, long seed) {
        if (k < 1) throw new IllegalArgumentException("randomGmm needs k >= 1 components, got " + k);
        if (d < 1) throw new IllegalArgumentException("randomGmm needs dimension d >= 1, got " + d);
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_MODEL, MODEL_TAG_RANDOM_GMM, 0);
        double[] w = new double[k];
        double[] v = new double[k];
        double[][] m = new double[k][d];
        for (int c = 0; c < k; c++) {
            w[c] = -Math.log(1.0 - key.uniform(Purpose.DRAFT, c, 0)); // Exp(1), never 0 or infinite
            v[c] = 0.05 + 0.45 * key.uniform(Purpose.DRAFT, c, 1);
            for (int i = 0; i < d; i++) m[c][i] = -3.0 + 6.0 * key.uniform(Purpose.DRAFT, c, 2 + i);
        }
        return new IsotropicMixture(w, m, v, "randomGmm(k=" + k + ", d=" + d + ", seed=" + seed + ")");
    }

    /**
     * {@code k} equally weighted atoms drawn uniformly from the cube [-1, 1]^d (bounded support, as the
     * paper assumes), a deterministic function of {@code seed} (stream
     * {@code Key.ofSeed(seed).derive(TAG_MODEL, 21, 0)}). A stand-in for an empirical distribution.
     *
     * @param k    atoms
     * @param d    dimension
     * @param seed the model's seed
     * @return the model
     */
    public static IsotropicMixture randomAtoms(int k, int d, long seed) {
        if (k < 1) throw new IllegalArgumentException("randomAtoms needs k >= 1 atoms, got " + k);
        if (d < 1) throw new IllegalArgumentException("randomAtoms needs dimension d >= 1, got " + d);
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_MODEL, MODEL_TAG_RANDOM_ATOMS, 0);
        double[][] points = new double[k][d];
        for (int c = 0; c < k; c++) {
            for (int i = 0; i < d; i++) points[c][i] = -1.0 + 2.0 * key.uniform(Purpose.DRAFT, c, i);
        }
        IsotropicMixture a = atoms(points, null);
        return new IsotropicMixture(a.weights(), points, a.variances(), "randomAtoms(k=" + k + ", d=" + d + ", seed=" + seed + ")");
    }

    /**
     * Reads a finite set of atoms from a CSV file; see {@link MixtureFiles#readAtoms} for the format.
     *
     * @throws IllegalArgumentException naming file and line on a malformed file
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static IsotropicMixture readAtoms(Path csv) {
        return MixtureFiles.readAtoms(csv);
    }

    /**
     * Reads a Gaussian mixture from a CSV file, one component per line: weight, variance, then the
     * d mean coordinates; see {@link MixtureFiles#readGmm} for the details.
     *
     * @throws IllegalArgumentException naming file and line on a malformed file
     * @throws java.io.UncheckedIOException when the file cannot be read
     */
    public static IsotropicMixture readGmm(Path csv) {
        return MixtureFiles.readGmm(csv);
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public String describe() {
        return description;
    }

    /** Two products over the components plus the softmax: about 2k + 2 multiply-adds per coordinate. */
    @Override
    public int costPerQuery() {
        return 2 * k + 2;
    }

    /** {@return k, the number of components} */
    public int components() {
        return k;
    }

    /** {@return the normalised weights w_k (a copy)} */
    public double[] weights() {
        return weights.clone();
    }

    /** {@return the means, k x d row-major (component c's mean at [c d, c d + d)); a copy} */
    public double[] means() {
        return means.clone();
    }

    /** {@return the per-component variances s_k^2 (a copy)} */
    public double[] variances() {
        return variances.clone();
    }

    /** {@return E[Y] = sum_k w_k m_k (a copy)} */
    public double[] mean() {
        return mixtureMean.clone();
    }

    /** {@return whether every component is a point mass (s_k = 0)} */
    public boolean isAtomic() {
        return atomic;
    }

    /** Queries per block: the block's k logits per query fit in {@link #LOGIT_BUFFER} doubles. */
    private int blockQueries() {
        return Math.max(1, Math.min(MAX_BLOCK, LOGIT_BUFFER / k));
    }

    @Override
    public void denoise(DriftQueries batch, int from, int to, double[] out) {
        if (to <= from) return;
        double[] x = batch.points();
        int qb = Math.min(blockQueries(), to - from);
        double[] logits = new double[qb * k]; // logits, then the coefficients of the means
        double[] xCoef = new double[qb];      // sum_k r_k c_k s_k^2 per query
        for (int j0 = from; j0 < to; j0 += qb) {
            int nq = Math.min(qb, to - j0);
            innerProducts(x, j0, nq, logits);
            for (int q = 0; q < nq; q++) responsibilities(batch.time(j0 + q), x, (j0 + q) * d, logits, q * k, xCoef, q);
            weightedMeans(x, j0, nq, logits, xCoef, out);
        }
    }

    /** GEMM 1: logits[q k + c] = &lt;x_{j0+q}, m_c&gt; for the block, tiled over components, 2x2 register blocks. */
    private void innerProducts(double[] x, int j0, int nq, double[] g) {
        double[] m = means;
        for (int c0 = 0; c0 < k; c0 += COMPONENT_TILE) {
            int c1 = Math.min(k, c0 + COMPONENT_TILE);
            int q = 0;
            for (; q + 1 < nq; q += 2) {
                int xa = (j0 + q) * d, xb = xa + d;
                int ga = q * k, gb = ga + k;
                int c = c0;
                for (; c + 1 < c1; c += 2) {
                    int ma = c * d, mb = ma + d;
                    double s00 = 0, s01 = 0, s10 = 0, s11 = 0;
                    for (int i = 0; i < d; i++) {
                        double u = x[xa + i], v = x[xb + i], p = m[ma + i], r = m[mb + i];
                        s00 += u * p;
                        s01 += u * r;
                        s10 += v * p;
                        s11 += v * r;
                    }
                    g[ga + c] = s00;
                    g[ga + c + 1] = s01;
                    g[gb + c] = s10;
                    g[gb + c + 1] = s11;
                }
                if (c < c1) {
                    int ma = c * d;
                    double s0 = 0, s1 = 0;
                    for (int i = 0; i < d; i++) {
                        double p = m[ma + i];
                        s0 += x[xa + i] * p;
                        s1 += x[xb + i] * p;
                    }
                    g[ga + c] = s0;
                    g[gb + c] = s1;
                }
            }
            if (q < nq) {
                int xa = (j0 + q) * d, ga = q * k;
                for (int c = c0; c < c1; c++) {
                    int ma = c * d;
                    double s = 0;
                    for (int i = 0; i < d; i++) s += x[xa + i] * m[ma + i];
                    g[ga + c] = s;
                }
            }
        }
    }

    /**
     * Turns row {@code g[row .. row + k)} of inner products into the coefficients r_c c_c of the
     * means (stable softmax) and stores sum_c r_c c_c s_c^2 in {@code xCoef[q]}.
     */
    private void responsibilities(double t, double[] x, int xOff, double[] g, int row, double[] xCoef, int q) {
        if (t == 0) {
            // f(0, x) = E[Y]: the prior weights, no x term.
            System.arraycopy(weights, 0, g, row, k);
            xCoef[q] = 0;
            return;
        }
        if (!(t > 0) || Double.isInfinite(t)) {
            throw new IllegalArgumentException(description + ": time must be a finite number >= 0, got " + t);
        }
        double max = Double.NEGATIVE_INFINITY;
        if (atomic) {
            for (int c = 0; c < k; c++) {
                double l = logWeights[c] + (g[row + c] - t * halfMeanSq[c]);
                g[row + c] = l;
                if (l > max) max = l;
            }
        } else {
            double xsq = 0;
            for (int i = 0; i < d; i++) xsq += x[xOff + i] * x[xOff + i];
            double halfD = 0.5 * d;
            for (int c = 0; c < k; c++) {
                double u = t * variances[c];
                double cc = 1.0 / (1.0 + u);
                double l = logWeights[c] - halfD * Math.log1p(u) + 0.5 * xsq * variances[c] * cc
                        + cc * (g[row + c] - t * halfMeanSq[c]);
                g[row + c] = l;
                if (l > max) max = l;
            }
        }
        double sum = 0;
        for (int c = 0; c < k; c++) {
            double e = Math.exp(g[row + c] - max);
            g[row + c] = e;
            sum += e;
        }
        double inv = 1.0 / sum;
        if (atomic) {
            for (int c = 0; c < k; c++) g[row + c] *= inv;
            xCoef[q] = 0;
        } else {
            double sx = 0;
            for (int c = 0; c < k; c++) {
                double cc = 1.0 / (1.0 + t * variances[c]);
                double a = g[row + c] * inv * cc;
                g[row + c] = a;
                sx += a * variances[c];
            }
            xCoef[q] = sx;
        }
    }

    /** GEMM 2: out_j = sum_c coef[q k + c] m_c + xCoef[q] x_j, tiled over components. */
    private void weightedMeans(double[] x, int j0, int nq, double[] coef, double[] xCoef, double[] out) {
        double[] m = means;
        for (int q = 0; q < nq; q++) {
            int o = (j0 + q) * d;
            java.util.Arrays.fill(out, o, o + d, 0.0);
        }
        for (int c0 = 0; c0 < k; c0 += COMPONENT_TILE) {
            int c1 = Math.min(k, c0 + COMPONENT_TILE);
            for (int q = 0; q < nq; q++) {
                int o = (j0 + q) * d, row = q * k;
                for (int c = c0; c < c1; c++) {
                    double a = coef[row + c];
                    if (a == 0) continue; // underflowed responsibility: nothing to add
                    int mo = c * d;
                    for (int i = 0; i < d; i++) out[o + i] += a * m[mo + i];
                }
            }
        }
        for (int q = 0; q < nq; q++) {
            double s = xCoef[q];
            if (s == 0) continue;
            int o = (j0 + q) * d;
            for (int i = 0; i < d; i++) out[o + i] += s * x[o + i];
        }
    }

    @Override
    public String toString() {
        return description;
    }
}
