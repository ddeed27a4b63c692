package io.autospec.ar.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ArTesting;
import io.autospec.ar.ArZoo;
import io.autospec.spi.Key;
import io.autospec.spi.Purpose;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link ProductOracle} against enumeration of the product of its marginals. */
class ProductOracleTest {

    @Test
    void conditionalsMatchEnumeration() {
        SplittableRandom rnd = new SplittableRandom(101);
        for (int q = 2; q <= 3; q++) {
            for (int n = 5; n <= 8; n++) {
                double[][] m = new double[n][q];
                for (int i = 0; i < n; i++) for (int v = 0; v < q; v++) m[i][v] = rnd.nextDouble() * (v == 0 && i == 2 ? 0 : 1) + (i == 2 ? 0 : 1e-3);
                ArZoo.Model model = ArZoo.product(m);
                ArTesting.Coverage c = ArTesting.checkConditionals(model.oracle(), model.law(), rnd, 25, false, 1e-12);
                assertTrue(c.queries() > 100, "coverage " + c);
            }
        }
    }

    /**
     * {@link ProductOracle#random} is Dirichlet(1) rows (uniform on the simplex), a function of the seed:
     * its conditionals match the enumeration of a law built here from the documented stream (normalised
     * Exp(1) draws of the model's key), not from the oracle; and the rows' first coordinates follow
     * Beta(1, q - 1), P(p &lt; x) = 1 - (1 - x)^(q-1), checked at three points within 5 sigma.
     */
    @Test
    void randomProductIsUniformOnTheSimplex() {
        int n = 6, q = 3;
        ProductOracle p = ProductOracle.random(n, q, 7);
        Key key = Key.ofSeed(7).derive(Purpose.TAG_MODEL, 1, 0);
        double[][] m = new double[n][q];
        for (int i = 0; i < n; i++) {
            double s = 0;
            for (int v = 0; v < q; v++) s += m[i][v] = -Math.log(1.0 - key.uniform(Purpose.DRAFT, i, v));
            for (int v = 0; v < q; v++) m[i][v] /= s;
        }
        ArZoo.Model model = ArZoo.product(m);
        ArTesting.checkConditionals(p, model.law(), new SplittableRandom(5), 10, false, 1e-12);

        int rows = 4000;
        ProductOracle many = ProductOracle.random(rows, q, 11);
        for (double x : new double[] {0.1, 1.0 / 3, 0.6}) {
            int below = 0;
            for (int i = 0; i < rows; i++) if (many.marginal(i, 0) < x) below++;
            double expected = 1 - Math.pow(1 - x, q - 1);
            double sigma = Math.sqrt(expected * (1 - expected) / rows);
            assertEquals(expected, below / (double) rows, 5 * sigma, "P(p_0 < " + x + ")");
        }
    }
}
