package io.autospec.ar.models;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ArTesting;
import io.autospec.ar.ArZoo;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link ParityOracle} against enumeration of the uniform law on {x : A x = c} (membership by
 * {@link ParityOracle#satisfies}), for C = 0, few constraints (the T2 shortcut), C near n
 * (near-determined: 2^(n - rank) solutions with rank n-1 or n), and C &gt; n; contexts drawn from mu
 * and uniformly (reaching contexts that violate the constraints: expect zeros).
 */
class ParityOracleTest {

    @Test
    void conditionalsMatchEnumeration() {
        SplittableRandom rnd = new SplittableRandom(601);
        int sawDetermined = 0, sawImpossible = 0, sawNearDetermined = 0;
        for (int n : new int[] {6, 7, 8, 10}) {
            for (int c : new int[] {0, 1, 2, 3, n / 2, n - 1, n, n + 4, 64}) {
                for (long seed = 1; seed <= 3; seed++) {
                    ArZoo.Model model = ArZoo.parity(n, c, seed * 1000 + n * 10 + c);
                    ParityOracle p = (ParityOracle) model.oracle();
                    long solutions = java.util.Arrays.stream(model.law()).filter(v -> v > 0).count();
                    assertEquals(1L << (n - p.rank()), solutions, model.name() + ": rank " + p.rank());
                    if (n - p.rank() <= 1) sawNearDetermined++;
                    int orders = n <= 8 ? 6 : 3;
                    ArTesting.Coverage drawn = ArTesting.checkConditionals(p, model.law(), rnd, orders, false, 0);
                    assertEquals(0, drawn.impossibleContexts());
                    ArTesting.Coverage any = ArTesting.checkConditionals(p, model.law(), rnd, orders, true, 0);
                    sawDetermined += drawn.determined() + any.determined();
                    sawImpossible += any.impossibleContexts();
                    if (c == 0) assertEquals(0, any.impossibleContexts() + any.determined(), "C = 0 is uniform");
                }
            }
        }
        assertTrue(sawDetermined > 100, "determined positions checked: " + sawDetermined);
        assertTrue(sawImpossible > 100, "impossible contexts checked: " + sawImpossible);
        assertTrue(sawNearDetermined > 5, "near-determined systems: " + sawNearDetermined);
    }

    /** Hand-made systems: repeated and zero columns, a unique solution, and an inconsistent one. */
    @Test
    void handMadeSystems() {
        SplittableRandom rnd = new SplittableRandom(602);
        long[][] columnSets = {
            {1, 1, 2, 0, 3, 4},            // repeated column, zero column
            {1, 2, 4, 8, 16, 32},          // identity: unique solution
            {3, 3, 3, 3, 3, 3, 3},         // one parity constraint twice (rank 1)
            {1L << 63, 1L << 63, 1, 1, 0}, // the top bit of a 64-bit word
        };
        long[] targets = {3, 0b101101, 3, (1L << 63) | 1};
        int[] cs = {3, 6, 2, 64};
        for (int i = 0; i < columnSets.length; i++) {
            ParityOracle p = new ParityOracle(columnSets[i], targets[i], cs[i]);
            int n = columnSets[i].length;
            double[] law = ArTesting.law(n, 2, x -> p.satisfies(x) ? 1 : 0);
            ArTesting.checkConditionals(p, law, rnd, 20, false, 0);
            ArTesting.checkConditionals(p, law, rnd, 20, true, 0);
        }
        assertThrows(IllegalArgumentException.class, () -> new ParityOracle(new long[] {1, 1, 2}, 4, 3));
    }
}
