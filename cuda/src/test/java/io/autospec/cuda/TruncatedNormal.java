package io.autospec.cuda;

/**
 * An independent reference for the box denoiser: the mean of a standard normal truncated to
 * [lo, hi] by composite Gauss-Legendre quadrature around the truncated density's mode (no erf), so
 * the device's closed form (erf/erfc/erfcx, tail formulas) is checked against different arithmetic.
 */
final class TruncatedNormal {
    private TruncatedNormal() {}

    private static final int NODES = 16;
    private static final double[] X = new double[NODES], W = new double[NODES];

    static {
        io.autospec.internal.util.GaussLegendre rule = io.autospec.internal.util.GaussLegendre.of(NODES);
        for (int i = 0; i < NODES; i++) {
            X[i] = rule.node(i);
            W[i] = rule.weight(i);
        }
    }

    /** E[Z | lo &lt;= Z &lt;= hi], Z ~ N(0, 1). */
    static double mean(double lo, double hi) {
        double mode = Math.max(lo, Math.min(hi, 0.0));
        double scale = 1 / Math.max(1, Math.abs(mode));     // decay length of the density near the mode
        double reach = Math.min(9, 40 * scale);              // beyond it the density is < e^-40 of the mode's
        double a = Math.max(lo, mode - reach), b = Math.min(hi, mode + reach);
        int panels = (int) Math.ceil((b - a) / (scale / 4));
        panels = Math.max(panels, 4);
        double h = (b - a) / panels;
        double s0 = 0, s1 = 0;
        for (int p = 0; p < panels; p++) {
            double mid = a + (p + 0.5) * h;
            for (int i = 0; i < NODES; i++) {
                double z = mid + 0.5 * h * X[i];
                double w = W[i] * Math.exp(-0.5 * (z - mode) * (z + mode)); // density / density(mode)
                s0 += w;
                s1 += w * (z - mode);
            }
        }
        return mode + s1 / s0;
    }

    /** The box denoiser's coordinate: E[Y | Y + g = x/t], Y ~ U[lo, hi], g ~ N(0, 1/t); t = 0: midpoint. */
    static double boxMean(double x, double t, double lo, double hi) {
        if (t == 0) return 0.5 * (lo + hi);
        double sd = Math.sqrt(t), mu = x / t;
        return mu + mean((lo - mu) * sd, (hi - mu) * sd) / sd;
    }
}
