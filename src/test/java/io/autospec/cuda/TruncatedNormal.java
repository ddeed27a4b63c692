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
        // Gauss-Legendre nodes and weights on [-1, 1] by Newton's method on P_16.
        for (int i = 0; i < NODES; i++) {
            double x = Math.cos(Math.PI * (i + 0.75) / (NODES + 0.5));
            double dp = 0;
            for (int it = 0; it < 100; it++) {
                double p0 = 1, p1 = x;
                for (int k = 2; k <= NODES; k++) {
                    double p2 = ((2 * k - 1) * x * p1 - (k - 1) * p0) / k;
                    p0 = p1;
                    p1 = p2;
                }
                dp = NODES * (x * p1 - p0) / (x * x - 1);
                double dx = p1 / dp;
                x -= dx;
                if (Math.abs(dx) < 1e-16) break;
            }
            X[i] = x;
            W[i] = 2 / ((1 - x * x) * dp * dp);
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
