package io.autospec.ar.models;

import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.PrefixSummary;

/**
 * The Curie-Weiss model on {0,1}^n: mu(x) proportional to exp(beta/(2n) S^2 + h S), S = sum_i (2 x_i - 1).
 * Mean-field and long-range: a conditional depends only on how many positions are pinned (k) and how
 * many of them are 1 (m, kept as the branch's prefix summary). With u = n - k - 1 other free
 * positions, mu(X_i = v | ...) is proportional to sum_j C(u, j) g(m + v + j), g(c) = exp(beta/(2n) (2c - n)^2 + h (2c - n)),
 * summed in log space. When the summand is log-concave in j (for beta &lt; 1 always) only the terms
 * within 50 nats of the mode are visited (O(sqrt n) per query); otherwise all of them (O(n)).
 */
public final class CurieWeiss implements ConditionalOracle {
    /** Terms more than this many nats below the mode are dropped (backends use the same cut-off). */
    public static final double CUTOFF = 50.0;

    /** Largest |beta| and |h| accepted. */
    public static final double MAX_PARAMETER = 1e6;
    private static final String MAX_PARAMETER_TEXT = "1e6";

    private final int n;
    private final double beta, h;
    private final double[] logFactorial;
    private final double[] gRatio;
    private final boolean ratiosSafe;

    /**
     * The Curie-Weiss model.
     *
     * @param n    spins, at least 1
     * @param beta the inverse temperature
     * @param h    the external field
     */
    public CurieWeiss(int n, double beta, double h) {
        if (n < 1) throw new IllegalArgumentException("Curie-Weiss needs n >= 1, got " + n);
        if (!Double.isFinite(beta) || !Double.isFinite(h)) throw new IllegalArgumentException("beta and h must be finite");
        // Far beyond any meaningful coupling (at |beta| = 50 the chain is already frozen), and small
        // enough that beta n^2 / (2n) cannot overflow the log-space sums to infinity - infinity = NaN.
        if (Math.abs(beta) > MAX_PARAMETER) throw new IllegalArgumentException("beta must be in [-" + MAX_PARAMETER_TEXT + ", " + MAX_PARAMETER_TEXT + "], got " + beta);
        if (Math.abs(h) > MAX_PARAMETER) throw new IllegalArgumentException("h must be in [-" + MAX_PARAMETER_TEXT + ", " + MAX_PARAMETER_TEXT + "], got " + h);
        this.n = n;
        this.beta = beta;
        this.h = h;
        logFactorial = new double[n + 1];
        for (int i = 1; i <= n; i++) logFactorial[i] = logFactorial[i - 1] + Math.log(i);
        // g(c+1)/g(c) with g(c) = exp(beta/(2n) (2c - n)^2 + h (2c - n)), for c = 0..n-1
        ratiosSafe = Math.abs(beta) <= 50 && Math.abs(h) <= 50;
        gRatio = new double[n];
        for (int c = 0; c < n; c++) gRatio[c] = Math.exp(beta * (4.0 * c + 2.0 - 2.0 * n) / n + 2.0 * h);
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public int alphabet() {
        return 2;
    }

    @Override
    public String describe() {
        return "curie-weiss(n=" + n + ", beta=" + beta + ", h=" + h + ")";
    }

    @Override
    public PrefixSummary prefixSummary() {
        return (ones, position, value) -> ones + value;
    }

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        int lastK = -1;
        long lastM = -1;
        double p1 = 0;
        for (int j = from; j < to; j++) {
            int k = batch.pinned(j);
            long m = batch.context(j).summary(k);
            if (k != lastK || m != lastM) { // queries of one request usually share (k, m)
                p1 = probabilityOfOne(k, (int) m);
                lastK = k;
                lastM = m;
            }
            out[2 * j] = 1 - p1;
            out[2 * j + 1] = p1;
        }
    }

    /** mu(X_i = 1 | k pinned of which m are 1), for a free position i. */
    double probabilityOfOne(int k, int m) {
        int u = n - k - 1;
        double l0 = logSum(u, m), l1 = logSum(u, m + 1);
        return 1.0 / (1.0 + Math.exp(l0 - l1));
    }

    /** log sum_{j=0..u} C(u, j) g(c0 + j). */
    private double logSum(int u, int c0) {
        if (!logConcave(u)) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j <= u; j++) max = Math.max(max, term(u, c0, j));
            double s = 0;
            for (int j = 0; j <= u; j++) s += Math.exp(term(u, c0, j) - max);
            return max + Math.log(s);
        }
        // Log-concave: the mode is the first j where the term stops increasing.
        int lo = 0, hi = u;
        while (lo < hi) {
            int mid = (lo + hi) >>> 1;
            if (term(u, c0, mid + 1) > term(u, c0, mid)) lo = mid + 1;
            else hi = mid;
        }
        if (!ratiosSafe) return logSumFrom(u, c0, lo);
        // Walk away from the mode with the ratio of consecutive terms,
        // t(j+1)/t(j) = (u-j)/(j+1) * g(c0+j+1)/g(c0+j): one multiplication per term, no exp.
        double floor = Math.exp(-CUTOFF);
        double s = 1, t = 1;
        for (int j = lo; j < u; j++) {
            t *= (u - j) / (j + 1.0) * gRatio[c0 + j];
            if (t < floor) break;
            s += t;
        }
        t = 1;
        for (int j = lo; j > 0; j--) {
            t /= (u - j + 1) / (double) j * gRatio[c0 + j - 1];
            if (t < floor) break;
            s += t;
        }
        return term(u, c0, lo) + Math.log(s);
    }

    /** The same sum with one exp per term (parameters too extreme for the ratio walk). */
    private double logSumFrom(int u, int c0, int mode) {
        double max = term(u, c0, mode);
        double s = 1;
        for (int j = mode + 1; j <= u; j++) {
            double t = term(u, c0, j) - max;
            if (t < -CUTOFF) break;
            s += Math.exp(t);
        }
        for (int j = mode - 1; j >= 0; j--) {
            double t = term(u, c0, j) - max;
            if (t < -CUTOFF) break;
            s += Math.exp(t);
        }
        return max + Math.log(s);
    }

    /**
     * Whether j -> log C(u, j) + log g(c0 + j) is concave: its second difference is
     * log(j (u-j) / ((j+1)(u-j+1))) + 4 beta / n, largest at the centre j = u/2. Public for backends,
     * which take the same decision per u.
     */
    public boolean logConcave(int u) {
        if (beta <= 0 || u < 2) return true;
        double worst = Double.NEGATIVE_INFINITY;
        for (int j = Math.max(1, u / 2 - 1); j <= Math.min(u - 1, u / 2 + 1); j++) {
            worst = Math.max(worst, Math.log((double) j * (u - j) / ((j + 1.0) * (u - j + 1.0))));
        }
        return worst + 4 * beta / n <= 0;
    }

    private double term(int u, int c0, int j) {
        int c = c0 + j;
        double s = 2.0 * c - n;
        return logFactorial[u] - logFactorial[j] - logFactorial[u - j] + beta / (2.0 * n) * s * s + h * s;
    }

    /** {@return beta, the coupling} */
    public double beta() {
        return beta;
    }

    /** {@return h, the external field} */
    public double field() {
        return h;
    }

    /** {@return for backends: a copy of the table log(i!) for i = 0..n, as used by the conditionals} */
    public double[] logFactorials() {
        return logFactorial.clone();
    }

    /** {@return exact unnormalised log-weight of a configuration (for tests and enumeration)} */
    public double logWeight(int[] x) {
        double s = 0;
        for (int v : x) s += 2 * v - 1;
        return beta / (2.0 * n) * s * s + h * s;
    }
}
