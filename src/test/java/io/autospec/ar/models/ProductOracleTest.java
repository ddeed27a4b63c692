package io.autospec.ar.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ArTesting;
import io.autospec.ar.ArZoo;
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

    /** {@link ProductOracle#random} draws normalised rows; every conditional is the row itself. */
    @Test
    void randomProductIsNormalisedAndMatchesEnumeration() {
        ProductOracle p = ProductOracle.random(6, 3, 7);
        double[][] m = new double[6][3];
        for (int i = 0; i < 6; i++) {
            double s = 0;
            for (int v = 0; v < 3; v++) {
                m[i][v] = p.marginal(i, v);
                assertTrue(m[i][v] > 0);
                s += m[i][v];
            }
            assertEquals(1.0, s, 1e-12);
        }
        ArZoo.Model model = ArZoo.product(m);
        ArTesting.checkConditionals(p, model.law(), new SplittableRandom(5), 10, false, 1e-12);
    }
}
