package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.spi.Key;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Order}: ranks, and the min-tree queries pinnedBefore/pinnedAfter against brute force. */
class OrderTest {

    private static int before(Order o, int pos, int k) {
        for (int j = pos - 1; j >= 0; j--) if (o.rank(j) < k) return j;
        return -1;
    }

    private static int after(Order o, int pos, int k) {
        for (int j = pos + 1; j < o.length(); j++) if (o.rank(j) < k) return j;
        return -1;
    }

    /** Every (pos, k) for random orders of many lengths (powers of two and not), against a linear scan. */
    @Test
    void nearestPinnedNeighboursMatchBruteForce() {
        SplittableRandom rnd = new SplittableRandom(11);
        int checked = 0;
        for (int n : new int[] {1, 2, 3, 4, 5, 7, 8, 9, 16, 17, 31, 33, 64, 100}) {
            for (int rep = 0; rep < 6; rep++) {
                Order o = ArTesting.randomOrder(rep, n, rnd);
                for (int k = 0; k <= n; k++) {
                    for (int pos = 0; pos < n; pos++) {
                        assertEquals(before(o, pos, k), o.pinnedBefore(pos, k), "before n=" + n + " pos=" + pos + " k=" + k);
                        assertEquals(after(o, pos, k), o.pinnedAfter(pos, k), "after n=" + n + " pos=" + pos + " k=" + k);
                        checked++;
                    }
                }
            }
        }
        assertTrue(checked > 50_000);
    }

    /** Large n, random (pos, k) pairs. */
    @Test
    void nearestPinnedNeighboursLargeN() {
        SplittableRandom rnd = new SplittableRandom(12);
        for (int n : new int[] {1000, 4097}) {
            Order o = ArTesting.randomOrder(0, n, rnd);
            for (int t = 0; t < 5000; t++) {
                int pos = rnd.nextInt(n), k = rnd.nextInt(n + 1);
                if (t % 10 == 0) k = rnd.nextInt(8); // sparse pinned sets: long scans
                assertEquals(before(o, pos, k), o.pinnedBefore(pos, k));
                assertEquals(after(o, pos, k), o.pinnedAfter(pos, k));
            }
        }
    }

    @Test
    void identityAndFixedOrders() {
        Order id = Order.identity(3, 6);
        assertEquals(3, id.sample());
        for (int p = 0; p < 6; p++) assertEquals(p, id.rank(p));
        // k = 3: positions 0, 1, 2 pinned
        assertEquals(2, id.pinnedBefore(5, 3));
        assertEquals(-1, id.pinnedAfter(3, 3));
        assertEquals(1, id.pinnedBefore(2, 3));

        Order o = Order.of(0, 4, 0, 2, 1, 3);
        assertArrayEquals(new int[] {4, 0, 2, 1, 3}, o.sigma());
        assertEquals(0, o.rank(4));
        assertEquals(3, o.rank(1));
        assertEquals(-1, o.pinnedBefore(1, 1)); // only 4 pinned
        assertEquals(4, o.pinnedAfter(1, 1));
        assertEquals(0, o.pinnedBefore(1, 2));
        assertEquals(2, o.pinnedAfter(1, 3));
        // sigma() is a copy
        o.sigma()[0] = 99;
        assertEquals(4, o.position(0));
    }

    @Test
    void rejectsNonPermutations() {
        assertThrows(IllegalArgumentException.class, () -> Order.of(0, 0, 0, 1));
        assertThrows(IllegalArgumentException.class, () -> Order.of(0, 0, 3, 1));
        assertThrows(IllegalArgumentException.class, () -> Order.of(0, -1, 0));
    }

    /**
     * Random orders are permutations, depend only on the key, and are uniform over the 24 orders of
     * n = 4 (one chi-square at level 1e-4 with a fixed seed: false-failure rate 1e-4).
     */
    @Test
    void randomOrdersArePermutationsAndDeterministic() {
        Key root = Key.ofSeed(5);
        for (int s = 0; s < 24_000; s++) {
            Key k = root.derive(1, s, 0);
            Order a = Order.random(s, 4, k), b = Order.random(s, 4, k);
            assertArrayEquals(a.sigma(), b.sigma());
            int[] sg = a.sigma();
            boolean[] seen = new boolean[4];
            for (int p : sg) seen[p] = true;
            for (boolean x : seen) assertTrue(x);
        }
        // Uniformity via the Lehmer code of each permutation.
        long[] lehmer = new long[24];
        for (int s = 0; s < 24_000; s++) lehmer[lehmerCode(Order.random(s, 4, root.derive(1, s, 0)).sigma())]++;
        double[] p = new double[24];
        java.util.Arrays.fill(p, 1.0 / 24);
        assertTrue(io.autospec.testing.GoodnessOfFit.chiSquarePValue(p, lehmer) > 1e-4,
                "random orders are not uniform: " + java.util.Arrays.toString(lehmer));
    }

    private static int lehmerCode(int[] perm) {
        int code = 0;
        for (int i = 0; i < perm.length; i++) {
            int smaller = 0;
            for (int j = i + 1; j < perm.length; j++) if (perm[j] < perm[i]) smaller++;
            code = code * (perm.length - i) + smaller;
        }
        return code;
    }
}
