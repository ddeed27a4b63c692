package io.autospec.ar.models.det;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ArTesting;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The oracle's conditionals equal brute-force conditionals of the enumerated laws. */
class DeterminantalOracleTest {
    /** Contexts along random orders, drawn from the law and uniformly (which reaches impossible ones). */
    private static void check(DetZoo.Model m, int orders) {
        ArTesting.Coverage c = ArTesting.checkConditionals(m.oracle(), m.law(), new SplittableRandom(11), orders, false, 1e-9);
        ArTesting.Coverage u = ArTesting.checkConditionals(m.oracle(), m.law(), new SplittableRandom(12), orders, true, 1e-9);
        boolean projection = !m.name().startsWith("dpp"); // trees and tilings have impossible contexts
        assertTrue(c.queries() > 0 && (u.impossibleContexts() > 0) == projection, m + ": " + c + " " + u);
    }

    @Test
    void spanningTreesOfTheGrid() {
        DetZoo.Model m = DetZoo.grid3Model();
        assertEquals(192, java.util.Arrays.stream(m.law()).filter(p -> p > 0).count());
        check(m, 40);
    }

    @Test
    void weightedSpanningTrees() {
        check(DetZoo.weighted5Model(), 40);
    }

    @Test
    void aztecOrderTwo() {
        DetZoo.Model m = DetZoo.aztecModel(2);
        assertEquals(8, java.util.Arrays.stream(m.law()).filter(p -> p > 0).count());
        check(m, 30);
    }

    /** A kernel that is not a marginal kernel (K_11 = 1.5) gives an error naming the query, not a clamp. */
    @Test
    void invalidKernelIsAClearError() {
        DeterminantalOracle bad = new DeterminantalOracle(new double[][] {{0.5, 0.1}, {0.1, 1.5}}, true, "bad");
        io.autospec.ar.Order order = ArTesting.prepared(bad, io.autospec.ar.Order.identity(0, 2));
        io.autospec.ar.Branch b = ArTesting.branch(bad, order, new int[] {0, 0}, 0);
        String msg = org.junit.jupiter.api.Assertions.assertThrows(io.autospec.core.OracleException.class,
                () -> ArTesting.evaluate(bad, java.util.List.of(new ArTesting.Query(b, 0, 0), new ArTesting.Query(b, 1, 0)))).getMessage();
        assertTrue(msg.contains("P(item in) = 1.5 at query #1 (sample 0, position 1, 0 pinned)"), msg);
        assertEquals(1e-9, bad.tolerance());
    }

    /** P(item in) of item {@code item} with nothing pinned, for a diagonal kernel of N items. */
    private static double[] marginal(int n, int item, double value) {
        double[][] k = new double[n][n];
        for (int i = 0; i < n; i++) k[i][i] = 0.5;
        k[item][item] = value;
        DeterminantalOracle o = new DeterminantalOracle(k, true, "diag(n=" + n + ")");
        io.autospec.ar.Order order = ArTesting.prepared(o, io.autospec.ar.Order.identity(0, n));
        io.autospec.ar.Branch b = ArTesting.branch(o, order, new int[n], 0);
        return ArTesting.evaluate(o, java.util.List.of(new ArTesting.Query(b, item, 0)))[0];
    }

    /**
     * The round-off rule: tolerance max(1e-9, N * 1e-11) (round-off of the N-term Schur sums grows with
     * N; Aztec order 32, N = 4096, reached 1 + 1.4e-9). Within it a value is clamped (snapped to 0 or
     * 1); just beyond it the oracle throws an error naming the query.
     */
    @Test
    void roundOffWithinTheToleranceIsClampedBeyondItIsAnError() {
        assertEquals(1e-9, new DeterminantalOracle(new double[][] {{0.5}}, true, "one").tolerance());
        assertEquals(2e-8, new DeterminantalOracle(new double[2000][2000], true, "zero(2000)").tolerance(), 1e-20);
        // N = 2: tolerance 1e-9
        assertEquals(1.0, marginal(2, 1, 1 + 0.9e-9)[1]);
        assertEquals(0.0, marginal(2, 1, 1 + 0.9e-9)[0]);
        assertEquals(0.0, marginal(2, 1, -0.9e-9)[1]);
        for (double beyond : new double[] {1 + 1.1e-9, -1.1e-9}) {
            String msg = org.junit.jupiter.api.Assertions.assertThrows(io.autospec.core.OracleException.class, () -> marginal(2, 1, beyond)).getMessage();
            assertTrue(msg.contains("at query #0 (sample 0, position 1, 0 pinned)") && msg.contains("beyond round-off 1.0E-9"), msg);
        }
        // N = 2000: tolerance 2e-8, so 1 + 1.5e-8 is round-off there, and 1 + 2.1e-8 is not
        assertEquals(1.0, marginal(2000, 7, 1 + 1.5e-8)[1]);
        String msg = org.junit.jupiter.api.Assertions.assertThrows(io.autospec.core.OracleException.class, () -> marginal(2000, 7, 1 + 2.1e-8)).getMessage();
        assertTrue(msg.contains("at query #0 (sample 0, position 7, 0 pinned)") && msg.contains("beyond round-off 2.0"), msg);
    }

    /**
     * A prefix whose pivot is below sqrt(tolerance) (item 0 is in with probability 1 - 1e-7 and pinned
     * out: pivot -1e-7) amplifies round-off, so answers beyond [0, 1] there mark it numerically
     * impossible, (0, 0), both for a query (k = 1) and for the factor row a deeper query needs (k = 2);
     * the same out-of-range answer on a well-conditioned prefix (pivot -0.5) stays an error naming the query.
     */
    @Test
    void beyondRoundOffOnAFragilePrefixIsImpossibleOnASturdyOneAnError() {
        double[][] k = {{1 - 1e-7, 1e-3, 0.1}, {1e-3, 0.5, 0.1}, {0.1, 0.1, 0.5}};
        DeterminantalOracle o = new DeterminantalOracle(k, true, "fragile");
        assertTrue(o.fragile(1e-7) && !o.fragile(0.5));
        io.autospec.ar.Order order = ArTesting.prepared(o, io.autospec.ar.Order.identity(0, 3));
        io.autospec.ar.Branch b = ArTesting.branch(o, order, new int[] {0, 1, 0}, 2);
        double[][] out = ArTesting.evaluate(o, java.util.List.of(new ArTesting.Query(b, 1, 1), new ArTesting.Query(b, 2, 2)));
        for (double[] row : out) assertEquals(0.0, row[0] + row[1]); // 0.5 + 10 and a row through it
        double[][] sturdy = {{0.5, 0.8, 0.1}, {0.8, 0.5, 0.1}, {0.1, 0.1, 0.5}};
        DeterminantalOracle s = new DeterminantalOracle(sturdy, true, "sturdy");
        io.autospec.ar.Order so = ArTesting.prepared(s, io.autospec.ar.Order.identity(0, 3));
        io.autospec.ar.Branch sb = ArTesting.branch(s, so, new int[] {0, 1, 0}, 2);
        String msg = org.junit.jupiter.api.Assertions.assertThrows(io.autospec.core.OracleException.class,
                () -> ArTesting.evaluate(s, java.util.List.of(new ArTesting.Query(sb, 1, 1)))).getMessage();
        assertTrue(msg.contains("P(item in) = 1.78") && msg.contains("query #0 (sample 0, position 1, 1 pinned)"), msg);
    }

    /**
     * The round-off allowed on a prefix grows as its smallest pivot falls: tolerance / min(1, pivot).
     * Item 0 pinned in with probability (pivot) 0.01 — not fragile (sqrt(1e-9) = 3.2e-5) — and
     * P(1 in | 0 in) = K_11 = 1 + 5e-8: beyond the tolerance 1e-9 but within 1e-9 / 0.01 = 1e-7, so it
     * is round-off and clamped to 1 (an Aztec order 32 guess reached 1 + 1.4e-7 with pivot 1.5e-3);
     * 1 + 2e-7 on the same prefix is still an error naming the query, and so is 1 + 5e-8 at the root.
     */
    @Test
    void roundOffIsAmplifiedByTheSmallestPivot() {
        for (double over : new double[] {5e-8, 2e-7}) {
            double[][] k = {{0.01, 0}, {0, 1 + over}};
            DeterminantalOracle o = new DeterminantalOracle(k, true, "over " + over);
            assertTrue(!o.fragile(0.01) && o.withinRoundOff(1 + over, 0.01) == (over < 1e-7));
            io.autospec.ar.Order order = ArTesting.prepared(o, io.autospec.ar.Order.identity(0, 2));
            io.autospec.ar.Branch b = ArTesting.branch(o, order, new int[] {1, 0}, 1);
            java.util.List<ArTesting.Query> q = java.util.List.of(new ArTesting.Query(b, 1, 1));
            if (over < 1e-7) {
                double[][] out = ArTesting.evaluate(o, q);
                assertEquals(0.0, out[0][0]);
                assertEquals(1.0, out[0][1]);
            } else {
                String msg = org.junit.jupiter.api.Assertions.assertThrows(io.autospec.core.OracleException.class,
                        () -> ArTesting.evaluate(o, q)).getMessage();
                assertTrue(msg.contains("query #0 (sample 0, position 1, 1 pinned)"), msg);
            }
            io.autospec.ar.Branch root = ArTesting.branch(o, order, new int[] {1, 0}, 0);
            org.junit.jupiter.api.Assertions.assertThrows(io.autospec.core.OracleException.class,
                    () -> ArTesting.evaluate(o, java.util.List.of(new ArTesting.Query(root, 1, 0))), "at the root the tolerance is 1e-9");
        }
    }

    @Test
    void lEnsemble() {
        check(DetZoo.ensembleModel(), 40);
    }
}
