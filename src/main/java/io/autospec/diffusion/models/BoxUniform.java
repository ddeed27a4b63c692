package io.autospec.diffusion.models;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftQueries;
import org.apache.commons.math3.special.Erf;

/**
 * Y uniform on the box [lo, hi]^d. The coordinates are independent, and given x at time t the
 * posterior of Y_i is N(x_i / t, 1 / t) truncated to [lo, hi], so f(t, x)_i is that truncated
 * normal's mean ({@link #posteriorMean}); at t = 0 it is (lo + hi) / 2.
 *
 * <h2>Numerics</h2>
 * With s = sqrt(t), alpha = (lo t - x) / s and beta = (hi t - x) / s are the box ends in standard
 * units around the unconstrained posterior mode x / t, and w = (hi - lo) s is the box width.
 * <ul>
 *   <li>alpha &gt;= 0 (the mode is below the box, the far-tail case when |x / t| is large or t is
 *       large): the mean is lo + g / s, where g = E[V | 0 &lt; V &lt; w] for the density
 *       proportional to exp(-alpha v - v^2 / 2). g is computed directly, never as a difference of
 *       large numbers: by 16-point Gauss-Legendre quadrature when alpha w + w^2 / 2 &lt;= 4 (the
 *       integrand is then nearly polynomial; both integrals are sums of positive terms), and
 *       otherwise from the Mills ratio R(a) = Q(a) / phi(a) and the mean excess
 *       K(a) = E[Z - a | Z &gt; a] = 1 / R(a) - a, as
 *       g = (R(alpha) K(alpha) - E (w R(beta) + R(beta) K(beta))) / (R(alpha) - E R(beta)) with
 *       E = exp(-alpha w - w^2 / 2) &lt;= e^-4, where nothing cancels. K(a) for a &gt;= 2 is the
 *       continued fraction 1 / (a + 2 / (a + 3 / (a + ...))) (Laplace's fraction for the Mills
 *       ratio, shifted by one level), and R = 1 / (a + K); for a &lt; 2, R = sqrt(pi/2) e^{a^2/2}
 *       erfc(a / sqrt 2) with commons-math's erfc.</li>
 *   <li>beta &lt;= 0: the mirror image, hi - g(-beta, w) / s.</li>
 *   <li>alpha &lt; 0 &lt; beta (the mode is inside): x / t + (phi(alpha) - phi(beta)) /
 *       ((Phi(beta) - Phi(alpha)) s), with phi(alpha) - phi(beta) written with expm1 and
 *       Phi(beta) - Phi(alpha) = (erf(beta / sqrt 2) + erf(-alpha / sqrt 2)) / 2 a sum of two
 *       non-negative terms.</li>
 * </ul>
 * The result is clamped to [lo, hi].
 */
public final class BoxUniform implements Denoiser {
    private static final double SQRT_HALF_PI = Math.sqrt(Math.PI / 2);
    private static final double INV_SQRT_2PI = 1.0 / Math.sqrt(2 * Math.PI);
    private static final double INV_SQRT2 = 1.0 / Math.sqrt(2.0);
    /** Below this exponent at the far end of the box, quadrature; above, Mills ratios. */
    private static final double QUADRATURE_LIMIT = 4.0;
    private static final int GL_POINTS = 16;
    /** Gauss-Legendre nodes and weights on [0, 1]. */
    private static final double[] GL_X = new double[GL_POINTS], GL_W = new double[GL_POINTS];

    static {
        io.autospec.internal.util.GaussLegendre rule = io.autospec.internal.util.GaussLegendre.of(GL_POINTS);
        for (int i = 0; i < GL_POINTS; i++) { // mapped from [-1, 1] to [0, 1]
            GL_X[i] = 0.5 * (1 - rule.node(i));
            GL_W[i] = 0.5 * rule.weight(i);
        }
    }

    private final int d;
    private final double lo, hi;

    /**
     * The uniform distribution on [lo, hi]^d.
     *
     * @param dimension d, at least 1
     * @param lo        the lower end of every side
     * @param hi        the upper end, above lo
     */
    public BoxUniform(int dimension, double lo, double hi) {
        if (dimension < 1) throw new IllegalArgumentException("box dimension must be >= 1, got " + dimension);
        if (!Double.isFinite(lo) || !Double.isFinite(hi) || !(lo < hi) || !Double.isFinite(hi - lo)) {
            throw new IllegalArgumentException("box needs finite lo < hi, got [" + lo + ", " + hi + "]");
        }
        this.d = dimension;
        this.lo = lo;
        this.hi = hi;
    }

    /** {@return the lower end of every side of the box} */
    public double lo() {
        return lo;
    }

    /** {@return the upper end of every side of the box} */
    public double hi() {
        return hi;
    }

    @Override
    public int dimension() {
        return d;
    }

    @Override
    public String describe() {
        return "box(d=" + d + ", [" + lo + ", " + hi + "])";
    }

    /** A few special-function evaluations per coordinate. */
    @Override
    public int costPerQuery() {
        return 40;
    }

    @Override
    public void denoise(DriftQueries batch, int from, int to, double[] out) {
        double[] x = batch.points();
        for (int j = from; j < to; j++) {
            double t = batch.time(j);
            int o = j * d;
            for (int i = 0; i < d; i++) out[o + i] = posteriorMean(t, x[o + i], lo, hi);
        }
    }

    /**
     * The mean of N(x / t, 1 / t) truncated to [lo, hi] (for t = 0: (lo + hi) / 2), i.e. E[Y | x]
     * for Y uniform on [lo, hi] observed as x = t Y + N(0, t).
     */
    public static double posteriorMean(double t, double x, double lo, double hi) {
        if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException("time must be a finite number >= 0, got " + t);
        if (t == 0) return 0.5 * lo + 0.5 * hi;
        double s = Math.sqrt(t);
        double alpha = (lo * t - x) / s;
        double beta = (hi * t - x) / s;
        double w = (hi - lo) * s;
        double m;
        if (alpha >= 0) {
            m = lo + excess(alpha, w) / s;
        } else if (beta <= 0) {
            m = hi - excess(-beta, w) / s;
        } else {
            double sum = ((lo + hi) * t - 2 * x) / s; // alpha + beta
            double num = sum >= 0
                    ? phi(alpha) * -Math.expm1(-0.5 * w * sum)  // phi(alpha) (1 - e^{-(beta^2 - alpha^2)/2})
                    : -phi(beta) * -Math.expm1(0.5 * w * sum);  // -phi(beta) (1 - e^{-(alpha^2 - beta^2)/2})
            double den = 0.5 * (Erf.erf(beta * INV_SQRT2) + Erf.erf(-alpha * INV_SQRT2));
            m = x / t + num / den / s;
        }
        return Math.min(hi, Math.max(lo, m));
    }

    private static double phi(double z) {
        return INV_SQRT_2PI * Math.exp(-0.5 * z * z);
    }

    /**
     * g(a, w) = E[V | 0 &lt; V &lt; w] for the density proportional to exp(-a v - v^2 / 2) on [0, w],
     * a &gt;= 0: the distance from the near end of the box to the mean, in standard units.
     */
    static double excess(double a, double w) {
        double far = a * w + 0.5 * w * w; // the exponent at v = w
        double g;
        if (far <= QUADRATURE_LIMIT) {
            double num = 0, den = 0;
            for (int i = 0; i < GL_POINTS; i++) {
                double v = w * GL_X[i];
                double e = GL_W[i] * Math.exp(-v * (a + 0.5 * v));
                num += v * e;
                den += e;
            }
            g = num / den;
        } else {
            double b = a + w;
            double ka = millsExcess(a), ra = 1 / (a + ka);
            double kb = millsExcess(b), rb = 1 / (b + kb);
            double e = Math.exp(-far);
            g = (ra * ka - e * (w * rb + rb * kb)) / (ra - e * rb);
        }
        return Math.min(w, Math.max(0, g));
    }

    /** K(a) = E[Z - a | Z &gt; a] = 1 / R(a) - a for a standard normal Z and a &gt;= 0. */
    static double millsExcess(double a) {
        if (a < 2) {
            double r = SQRT_HALF_PI * Math.exp(0.5 * a * a) * Erf.erfc(a * INV_SQRT2);
            return 1 / r - a;
        }
        // Laplace's continued fraction, evaluated backwards from a fixed depth that is enough for
        // full double precision at this a (measured: 160 terms at a = 2, 20 at a = 8).
        int terms = a >= 8 ? 24 : a >= 4 ? 48 : a >= 2.5 ? 100 : 160;
        double tail = 0;
        for (int j = terms; j >= 2; j--) tail = j / (a + tail);
        return 1 / (a + tail);
    }

    /** R(a) = Q(a) / phi(a), the Mills ratio, for a &gt;= 0. */
    static double millsRatio(double a) {
        return 1 / (a + millsExcess(a));
    }

    @Override
    public String toString() {
        return describe();
    }
}
