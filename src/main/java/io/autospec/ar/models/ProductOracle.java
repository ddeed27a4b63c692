package io.autospec.ar.models;

import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

/** Independent positions: mu(x) = prod_i p_i(x_i). Every conditional is the position's own law. */
public final class ProductOracle implements ConditionalOracle {
    private final int n, q;
    private final double[] marginals; // n x q

    /**
     * The product of the given laws.
     *
     * @param marginals {@code marginals[i][v]} = p_i(v); each row non-negative with positive mass (rows are normalised)
     */
    public ProductOracle(double[][] marginals) {
        this.n = marginals.length;
        if (n < 1) throw new IllegalArgumentException("product model needs n >= 1");
        this.q = marginals[0].length;
        this.marginals = new double[n * q];
        for (int i = 0; i < n; i++) {
            if (marginals[i].length != q) throw new IllegalArgumentException("position " + i + " has " + marginals[i].length + " values, expected " + q);
            double s = 0;
            for (int v = 0; v < q; v++) {
                double p = marginals[i][v];
                if (!(p >= 0) || Double.isInfinite(p)) throw new IllegalArgumentException("p_" + i + "(" + v + ") = " + p);
                s += p;
            }
            if (!(s > 0)) throw new IllegalArgumentException("position " + i + " has no mass");
            for (int v = 0; v < q; v++) this.marginals[i * q + v] = marginals[i][v] / s;
        }
    }

    /**
     * Random per-position laws (Dirichlet(1), i.e. uniform on the simplex), a deterministic function of the seed.
     *
     * @param n    positions
     * @param q    values per position
     * @param seed the model's seed
     * @return the model
     */
    public static ProductOracle random(int n, int q, long seed) {
        if (n < 1 || q < 1) throw new IllegalArgumentException("product model needs n >= 1 and q >= 1");
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_MODEL, 1, 0);
        double[][] m = new double[n][q];
        for (int i = 0; i < n; i++) {
            for (int v = 0; v < q; v++) m[i][v] = -Math.log(1.0 - key.uniform(Purpose.DRAFT, i, v));
        }
        return new ProductOracle(m);
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public int alphabet() {
        return q;
    }

    @Override
    public String describe() {
        return "product(n=" + n + ", q=" + q + ")";
    }

    /** {@return p_i(v)} */
    public double marginal(int i, int v) {
        return marginals[i * q + v];
    }

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        for (int j = from; j < to; j++) {
            System.arraycopy(marginals, batch.position(j) * q, out, j * q, q);
        }
    }
}
