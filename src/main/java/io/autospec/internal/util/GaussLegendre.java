package io.autospec.internal.util;

/**
 * Gauss-Legendre quadrature rules on [-1, 1], computed by Newton's method on the Legendre polynomial.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class GaussLegendre {
    private final double[] nodes;
    private final double[] weights;

    private GaussLegendre(double[] nodes, double[] weights) {
        this.nodes = nodes;
        this.weights = weights;
    }

    /** {@return the n-point rule: sum_i w_i f(x_i) integrates polynomials of degree 2n - 1 on [-1, 1] exactly} */
    public static GaussLegendre of(int n) {
        if (n < 1) throw new IllegalArgumentException("a Gauss-Legendre rule needs n >= 1 points, got " + n);
        double[] x = new double[n], w = new double[n];
        for (int i = 0; i < n; i++) {
            double z = Math.cos(Math.PI * (i + 0.75) / (n + 0.5)); // Chebyshev-like starting guess
            double dp = 1;
            for (int it = 0; it < 100; it++) {
                double p0 = 1, p1 = z;
                for (int j = 2; j <= n; j++) {
                    double p2 = ((2 * j - 1) * z * p1 - (j - 1) * p0) / j;
                    p0 = p1;
                    p1 = p2;
                }
                dp = n * (z * p1 - p0) / (z * z - 1);
                double dz = p1 / dp;
                z -= dz;
                if (Math.abs(dz) < 1e-17) break;
            }
            x[i] = z;
            w[i] = 2 / ((1 - z * z) * dp * dp);
        }
        return new GaussLegendre(x, w);
    }

    /** {@return the number of points} */
    public int size() {
        return nodes.length;
    }

    /** {@return node i on [-1, 1]} */
    public double node(int i) {
        return nodes[i];
    }

    /** {@return weight i on [-1, 1]} */
    public double weight(int i) {
        return weights[i];
    }
}
