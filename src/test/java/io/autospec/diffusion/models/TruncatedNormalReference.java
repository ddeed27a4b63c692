package io.autospec.diffusion.models;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * High-precision reference for the mean of N(x/t, 1/t) truncated to [lo, hi]: both integrals
 * int u^m exp(-t u^2/2 - c u) du (m = 0, 1) are computed in 60-digit BigDecimal arithmetic by Romberg
 * integration on 2^12 panels (the integrand at equally spaced nodes by exact multiplicative
 * recurrences, so only two BigDecimal exponentials per integral), measured from the point of the
 * box nearest to the mode x/t, where the integrand peaks. The integration range is cut where the
 * exponent reaches 100 (a relative contribution below e^-100). Independent of the code under test:
 * no erfc, no continued fractions, no Mills ratios.
 */
final class TruncatedNormalReference {
    private static final MathContext MC = new MathContext(60, RoundingMode.HALF_EVEN);
    private static final int LEVELS = 12;

    private TruncatedNormalReference() {}

    /** The mean as a BigDecimal (inputs taken as their exact binary values). */
    static BigDecimal mean(double t, double x, double lo, double hi) {
        BigDecimal T = new BigDecimal(t), X = new BigDecimal(x), LO = new BigDecimal(lo), HI = new BigDecimal(hi);
        BigDecimal o = X.divide(T, MC);
        if (o.compareTo(LO) <= 0) {
            BigDecimal c = LO.multiply(T).subtract(X); // t (lo - o) >= 0
            BigDecimal[] i = integrals(t, c, HI.subtract(LO));
            return LO.add(i[1].divide(i[0], MC), MC);
        }
        if (o.compareTo(HI) >= 0) {
            BigDecimal c = X.subtract(HI.multiply(T));
            BigDecimal[] i = integrals(t, c, HI.subtract(LO));
            return HI.subtract(i[1].divide(i[0], MC), MC);
        }
        BigDecimal[] r = integrals(t, BigDecimal.ZERO, HI.subtract(o));
        BigDecimal[] l = integrals(t, BigDecimal.ZERO, o.subtract(LO));
        return o.add(r[1].subtract(l[1]).divide(r[0].add(l[0]), MC), MC);
    }

    /** {int_0^L exp(-t u^2/2 - c u) du, int_0^L u exp(...) du}. */
    static BigDecimal[] integrals(double t, BigDecimal c, BigDecimal length) {
        double cd = c.doubleValue();
        double cut = 200.0 / (cd + Math.sqrt(cd * cd + 200.0 * t)); // t u^2/2 + c u = 100
        BigDecimal L = length.min(new BigDecimal(cut));
        int n = 1 << LEVELS;
        BigDecimal h = L.divide(BigDecimal.valueOf(n), MC);
        // exponent at node j: -(A j^2 + B j), A = t h^2 / 2, B = c h
        BigDecimal A = new BigDecimal(t).multiply(h).multiply(h).divide(BigDecimal.valueOf(2), MC);
        BigDecimal B = c.multiply(h, MC);
        BigDecimal e = BigDecimal.ONE;                 // exp(-(A j^2 + B j))
        BigDecimal r = exp(A.add(B).negate());          // exp(-(A (2j+1) + B)) at j = 0
        BigDecimal q = exp(A.multiply(BigDecimal.valueOf(2)).negate());
        BigDecimal[] f0 = new BigDecimal[n + 1], f1 = new BigDecimal[n + 1];
        for (int j = 0; j <= n; j++) {
            f0[j] = e;
            f1[j] = e.multiply(h.multiply(BigDecimal.valueOf(j)), MC);
            e = e.multiply(r, MC);
            r = r.multiply(q, MC);
        }
        return new BigDecimal[] {romberg(f0, L), romberg(f1, L)};
    }

    private static BigDecimal romberg(BigDecimal[] f, BigDecimal L) {
        int n = f.length - 1;
        BigDecimal[] prev = new BigDecimal[LEVELS + 1];
        BigDecimal[] cur = new BigDecimal[LEVELS + 1];
        for (int k = 0; k <= LEVELS; k++) {
            int stride = n >> k, panels = 1 << k;
            BigDecimal s = f[0].add(f[n]).divide(BigDecimal.valueOf(2), MC);
            for (int j = stride; j < n; j += stride) s = s.add(f[j], MC);
            cur[0] = s.multiply(L, MC).divide(BigDecimal.valueOf(panels), MC);
            BigDecimal four = BigDecimal.ONE;
            for (int m = 1; m <= k; m++) {
                four = four.multiply(BigDecimal.valueOf(4));
                cur[m] = cur[m - 1].add(cur[m - 1].subtract(prev[m - 1]).divide(four.subtract(BigDecimal.ONE), MC), MC);
            }
            BigDecimal[] tmp = prev;
            prev = cur;
            cur = tmp;
        }
        return prev[LEVELS];
    }

    /** exp(z) to ~60 digits: z / 2^s by Taylor series, then squared s times. */
    static BigDecimal exp(BigDecimal z) {
        int s = 0;
        BigDecimal y = z;
        while (y.abs().compareTo(new BigDecimal("0.001")) > 0) {
            y = y.divide(BigDecimal.valueOf(2), MC);
            s++;
        }
        MathContext wide = new MathContext(80, RoundingMode.HALF_EVEN);
        BigDecimal sum = BigDecimal.ONE, term = BigDecimal.ONE;
        for (int k = 1; k < 60; k++) {
            term = term.multiply(y, wide).divide(BigDecimal.valueOf(k), wide);
            sum = sum.add(term, wide);
            if (term.abs().compareTo(BigDecimal.ONE.movePointLeft(90)) < 0) break;
        }
        for (int i = 0; i < s; i++) sum = sum.multiply(sum, wide);
        return sum.round(MC);
    }
}
