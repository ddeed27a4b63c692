package io.autospec.ar.models.det;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalOracle;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import org.junit.jupiter.api.Test;

/**
 * The factor trie is shared by concurrent evaluation threads and filled in whatever order queries
 * arrive, yet samples, rounds and queries do not depend on launch capacity or thread count; and
 * every sample of a larger model is a valid object.
 */
class DeterminantalDeterminismTest {
    private static RunResult<int[]> run(ConditionalOracle oracle, Strategy s, int capacity, int threads) {
        try (CpuBackend backend = new CpuBackend(threads)) {
            return Autospec.autoregressive(oracle).strategy(s).seed(17).capacity(capacity).backend(backend).sample(12);
        }
    }

    @Test
    void independentOfCapacityAndThreads() {
        SpanningTrees g = SpanningTrees.grid(6, 5);
        AztecDiamond a = new AztecDiamond(5);
        for (ConditionalOracle oracle : new ConditionalOracle[] {g.oracle(), a.oracle()}) {
            for (Strategy s : new Strategy[] {Autospec.speculative(), Autospec.token(8), Autospec.sequential()}) {
                RunResult<int[]> ref = run(oracle, s, Integer.MAX_VALUE, 1);
                for (int[] c : new int[][] {{7, 2}, {1, 3}}) {
                    RunResult<int[]> r = run(oracle, s, c[0], c[1]);
                    for (int i = 0; i < ref.samples().size(); i++) assertArrayEquals(ref.samples().get(i), r.samples().get(i));
                    assertEquals(ref.metrics().rounds(), r.metrics().rounds());
                    assertEquals(ref.metrics().queries(), r.metrics().queries());
                }
                for (int[] x : ref.samples()) {
                    assertTrue(oracle.length() == g.edges() ? g.isSpanningTree(x) : a.isTiling(x), oracle.describe() + " " + s);
                }
            }
        }
    }
}
