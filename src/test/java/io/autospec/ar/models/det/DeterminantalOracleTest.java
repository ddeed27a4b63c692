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

    @Test
    void lEnsemble() {
        check(DetZoo.ensembleModel(), 40);
    }
}
