package io.autospec.ar.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ArTesting;
import io.autospec.ar.ArZoo;
import io.autospec.ar.Branch;
import io.autospec.ar.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.apache.commons.math3.special.Gamma;
import org.junit.jupiter.api.Test;

/**
 * {@link CurieWeiss} against enumeration of exp(beta/(2n) S^2 + h S) for n up to 14, and against a
 * direct full log-sum-exp over the number of ones at n = 200, for beta below, at and above the
 * critical value 1 (beta = 1.5: the summand is not log-concave for small k, the full-sum path).
 */
class CurieWeissTest {

    @Test
    void conditionalsMatchEnumeration() {
        SplittableRandom rnd = new SplittableRandom(501);
        for (double beta : new double[] {0.5, 1.0, 1.5}) {
            for (double h : new double[] {0.0, 0.3, -0.25}) {
                for (int n : new int[] {5, 8, 11, 14}) {
                    ArZoo.Model model = ArZoo.curieWeiss(n, beta, h);
                    int orders = n <= 8 ? 10 : 3;
                    ArTesting.Coverage c = ArTesting.checkConditionals(model.oracle(), model.law(), rnd, orders, false, 1e-10);
                    assertTrue(c.queries() > 20);
                    // arbitrary contexts (all are possible here, but reach unlikely counts)
                    ArTesting.checkConditionals(model.oracle(), model.law(), rnd, orders, true, 1e-10);
                }
            }
        }
    }

    /** log sum_{j=0..u} C(u, j) exp(beta/(2n) s^2 + h s), s = 2(c0 + j) - n, every term, log-gamma binomials. */
    private static double logSumDirect(int n, double beta, double h, int u, int c0) {
        double[] terms = new double[u + 1];
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j <= u; j++) {
            double s = 2.0 * (c0 + j) - n;
            terms[j] = Gamma.logGamma(u + 1.0) - Gamma.logGamma(j + 1.0) - Gamma.logGamma(u - j + 1.0) + beta / (2.0 * n) * s * s + h * s;
            max = Math.max(max, terms[j]);
        }
        double acc = 0;
        for (double t : terms) acc += Math.exp(t - max);
        return max + Math.log(acc);
    }

    /**
     * n = 200: for every k (0..199) a context with a random number of ones (both typical and extreme
     * magnetisations), the oracle's P(X_i = 1 | k pinned, m ones) equals the direct full log-sum-exp.
     */
    @Test
    void largeNMatchesDirectLogSumExp() {
        int n = 200;
        SplittableRandom rnd = new SplittableRandom(502);
        for (double beta : new double[] {0.5, 1.0, 1.5, 3.0}) {
            for (double h : new double[] {0.0, 0.05, -0.4}) {
                CurieWeiss cw = new CurieWeiss(n, beta, h);
                List<ArTesting.Query> queries = new ArrayList<>();
                List<double[]> want = new ArrayList<>();
                for (int k = 0; k < n; k++) {
                    Order order = ArTesting.prepared(cw, ArTesting.randomOrder(k, n, rnd));
                    int[] x = new int[n];
                    double bias = switch (k % 4) {
                        case 0 -> 0.5;
                        case 1 -> 0.05;
                        case 2 -> 0.95;
                        default -> rnd.nextDouble();
                    };
                    for (int i = 0; i < n; i++) x[i] = rnd.nextDouble() < bias ? 1 : 0;
                    Branch b = ArTesting.branch(cw, order, x, k);
                    int m = 0;
                    for (int r = 0; r < k; r++) m += x[order.position(r)];
                    int u = n - k - 1;
                    double l0 = logSumDirect(n, beta, h, u, m), l1 = logSumDirect(n, beta, h, u, m + 1);
                    double p1 = 1.0 / (1.0 + Math.exp(l0 - l1));
                    queries.add(new ArTesting.Query(b, order.position(k), k));
                    want.add(new double[] {1 - p1, p1});
                }
                double[][] got = ArTesting.evaluate(cw, queries);
                for (int j = 0; j < got.length; j++) {
                    for (int v = 0; v < 2; v++) {
                        assertEquals(want.get(j)[v], got[j][v], 1e-9, "beta=" + beta + " h=" + h + " k=" + j + " v=" + v);
                    }
                }
            }
        }
    }

    /** Symmetry at h = 0: with no pinned values (or balanced ones) each position is a fair coin. */
    @Test
    void symmetricAtZeroField() {
        CurieWeiss cw = new CurieWeiss(50, 1.5, 0);
        Order o = ArTesting.prepared(cw, Order.identity(0, 50));
        int[] x = new int[50];
        for (int i = 0; i < 50; i++) x[i] = i % 2;
        Branch b = ArTesting.branch(cw, o, x, 10);
        double[][] got = ArTesting.evaluate(cw, List.of(new ArTesting.Query(b, 20, 0), new ArTesting.Query(b, 30, 10)));
        assertEquals(0.5, got[0][1], 1e-12);
        assertEquals(0.5, got[1][1], 1e-12);
    }

    /**
     * An overflowing beta is refused: beta = 1e308 was once accepted and every conditional came out NaN mid-run. Now
     * refused up front; the largest accepted parameters still give finite conditionals.
     */
    @Test
    void extremeParametersAreRefusedOrFinite() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new CurieWeiss(8, 1e308, 0));
        assertTrue(e.getMessage().contains("beta must be in") && e.getMessage().contains("1.0E308"), e.getMessage());
        e = assertThrows(IllegalArgumentException.class, () -> new CurieWeiss(8, 0.5, -2e6));
        assertTrue(e.getMessage().contains("h must be in"), e.getMessage());
        double max = CurieWeiss.MAX_PARAMETER;
        for (double[] bh : new double[][] {{max, max}, {-max, -max}, {max, -max}, {-max, 0}}) {
            CurieWeiss cw = new CurieWeiss(1000, bh[0], bh[1]);
            for (int k = 0; k < 1000; k += 37) {
                for (int m = 0; m <= k; m += Math.max(1, k / 5)) {
                    double p = cw.probabilityOfOne(k, m);
                    assertTrue(p >= 0 && p <= 1, "beta " + bh[0] + ", h " + bh[1] + ", k " + k + ", m " + m + ": " + p);
                }
            }
        }
    }
}
