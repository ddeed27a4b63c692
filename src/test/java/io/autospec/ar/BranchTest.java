package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link Branch}: immutability under in-place and copying extension, values and prefix summaries. */
class BranchTest {

    /** A summary that depends on positions, values and their order (not commutative). */
    private static final PrefixSummary HASH = new PrefixSummary() {
        @Override
        public long initial() {
            return 17;
        }

        @Override
        public long append(long s, int position, int value) {
            return s * 1_000_003L + position * 31L + value + 1;
        }
    };

    private static long expectedSummary(Order o, int[] stepValues, int k) {
        long s = HASH.initial();
        for (int r = 0; r < k; r++) s = HASH.append(s, o.position(r), stepValues[r]);
        return s;
    }

    private static void checkBranch(Order o, Branch b, int[] expected, PrefixSummary summary) {
        assertEquals(expected.length, b.length());
        for (int r = 0; r < expected.length; r++) {
            assertEquals(expected[r], b.valueAtRank(r), "step " + r);
            assertEquals(expected[r], b.value(o.position(r)), "position " + o.position(r));
        }
        if (summary != null) {
            for (int k = 0; k <= expected.length; k++) assertEquals(expectedSummary(o, expected, k), b.summary(k), "summary " + k);
        }
    }

    /**
     * A random tree of branches: each step extends a random existing branch (the newest tip, so in
     * place, or an older one, so by copy) by a random number of random values; after every extension
     * every branch made so far still reads exactly its own values and summaries. Some steps take a
     * prefix of a branch instead, which is then extended like any other. n = 40 also forces
     * the storage to grow past its initial 16 slots.
     */
    @Test
    void everyEarlierBranchKeepsItsValues() {
        for (PrefixSummary summary : new PrefixSummary[] {HASH, null}) {
            SplittableRandom rnd = new SplittableRandom(21);
            int n = 40;
            Order o = ArTesting.randomOrder(0, n, rnd);
            List<Branch> branches = new ArrayList<>();
            List<int[]> expected = new ArrayList<>();
            branches.add(Branch.empty(o, summary));
            expected.add(new int[0]);
            for (int op = 0; op < 400; op++) {
                int i = rnd.nextInt(3) == 0 ? branches.size() - 1 : rnd.nextInt(branches.size());
                Branch parent = branches.get(i);
                if (rnd.nextInt(4) == 0) { // a prefix, which later extensions must not write over
                    int k = rnd.nextInt(parent.length() + 1);
                    branches.add(parent.prefix(k));
                    expected.add(java.util.Arrays.copyOf(expected.get(i), k));
                    continue;
                }
                int room = n - parent.length();
                if (room == 0) continue;
                int count = rnd.nextInt(Math.min(room, 12) + 1); // 0 allowed
                int from = rnd.nextInt(3);
                int[] src = new int[from + count + 2];
                for (int t = 0; t < src.length; t++) src[t] = rnd.nextInt(5);
                Branch child = parent.extend(src, from, count, summary);
                int[] e = java.util.Arrays.copyOf(expected.get(i), parent.length() + count);
                System.arraycopy(src, from, e, parent.length(), count);
                java.util.Arrays.fill(src, -7); // the branch must not alias the caller's array
                branches.add(child);
                expected.add(e);
                for (int b = 0; b < branches.size(); b++) checkBranch(o, branches.get(b), expected.get(b), summary);
            }
        }
    }

    /** The tip extends in place (shared storage); a second extension of the same prefix copies. */
    @Test
    void inPlaceThenCopy() {
        Order o = Order.of(0, 3, 1, 4, 0, 2, 5);
        Branch empty = Branch.empty(o, HASH);
        Branch a = empty.extend(new int[] {1, 2}, 0, 2, HASH);
        assertSame(empty.storageIdentity(), a.storageIdentity(), "extending the tip writes in place");
        Branch b = a.extend(new int[] {3, 4}, 0, 2, HASH);
        assertSame(a.storageIdentity(), b.storageIdentity());
        Branch c = a.extend(new int[] {7}, 0, 1, HASH); // a is no longer the tip of its storage
        assertNotSame(a.storageIdentity(), c.storageIdentity(), "extending a non-tip starts a private suffix");
        Branch d = c.extend(new int[] {8}, 0, 1, HASH);
        assertSame(c.storageIdentity(), d.storageIdentity());
        checkBranch(o, a, new int[] {1, 2}, HASH);
        checkBranch(o, b, new int[] {1, 2, 3, 4}, HASH);
        checkBranch(o, c, new int[] {1, 2, 7}, HASH);
        checkBranch(o, d, new int[] {1, 2, 7, 8}, HASH);
        Branch full = b.extend(new int[] {5, 6}, 0, 2, HASH);
        // position order: sigma = 3,1,4,0,2,5 with values 1,2,3,4,5,6
        assertArrayEquals(new int[] {4, 2, 5, 1, 3, 6}, full.toPositionOrder());
        assertThrows(IllegalStateException.class, b::toPositionOrder);
        assertThrows(IllegalArgumentException.class, () -> b.extend(new int[] {1, 1, 1}, 0, 3, HASH));
    }

    /**
     * The many trials of a fallback all extend the same prefix: each pays for its own values only,
     * never for a copy of the shared prefix; and chains of non-tip extensions stay correct.
     */
    @Test
    void nonTipExtensionsShareThePrefix() {
        int n = 400;
        Order o = Order.identity(0, n);
        int[] vals = new int[n];
        for (int i = 0; i < n; i++) vals[i] = (i * 7) % 5;
        Branch prefix = Branch.empty(o, HASH).extend(vals, 0, 300, HASH);
        Branch tip = prefix.extend(vals, 300, 10, HASH); // in place
        assertSame(prefix.storageIdentity(), tip.storageIdentity());
        for (int t = 0; t < 100; t++) {
            int[] mine = {t % 5, (t + 1) % 5, (t + 2) % 5};
            Branch trial = prefix.extend(mine, 0, 3, HASH);
            assertTrue(trial.storageCapacity() <= trial.length() + 16, "trial " + t + " copied the shared prefix");
            Branch deeper = trial.extend(mine, 0, 3, HASH).extend(mine, 1, 2, HASH);
            Branch sibling = trial.extend(mine, 2, 1, HASH); // non-tip of the trial's segment: a new segment
            assertTrue(sibling.storageCapacity() <= sibling.length() + 16, "a sibling copies nothing either");
            int[] expectDeeper = new int[308];
            System.arraycopy(vals, 0, expectDeeper, 0, 300);
            System.arraycopy(mine, 0, expectDeeper, 300, 3);
            System.arraycopy(mine, 0, expectDeeper, 303, 3);
            System.arraycopy(mine, 1, expectDeeper, 306, 2);
            checkBranch(o, deeper, expectDeeper, HASH);
            int[] expectSibling = java.util.Arrays.copyOf(expectDeeper, 304);
            expectSibling[303] = mine[2];
            checkBranch(o, sibling, expectSibling, HASH);
            int[] flat = new int[308];
            deeper.copyValues(0, 308, flat, 0);
            assertArrayEquals(expectDeeper, flat);
        }
        checkBranch(o, tip, java.util.Arrays.copyOf(vals, 310), HASH);
        // Nested non-tip extensions stack segments without copying, up to the flattening bound.
        Branch b = prefix;
        int[] expect = java.util.Arrays.copyOf(vals, 300 + Branch.MAX_SEGMENTS + 5);
        for (int i = 0; i < Branch.MAX_SEGMENTS + 5; i++) {
            prefix.extend(new int[] {4}, 0, 1, HASH); // keeps b a non-tip from the second round on
            b.extend(new int[] {9}, 0, 1, HASH);      // someone else extends b first
            expect[300 + i] = i % 5;
            b = b.extend(new int[] {i % 5}, 0, 1, HASH);
            assertTrue(b.segments() <= Branch.MAX_SEGMENTS, "flattened when deep");
        }
        checkBranch(o, b, expect, HASH);
    }

    /** Branches of one sample handed to an oracle see the summaries the oracle's PrefixSummary defines. */
    @Test
    void summaryOfZooModels() {
        io.autospec.ar.models.CurieWeiss cw = new io.autospec.ar.models.CurieWeiss(6, 0.5, 0);
        Order o = Order.of(0, 5, 2, 0, 1, 3, 4);
        Branch b = ArTesting.branch(cw, o, new int[] {1, 0, 1, 1, 0, 1}, 6);
        // step values: pos5=1, pos2=1, pos0=1, pos1=0, pos3=1, pos4=0 -> running count of ones
        long[] ones = {0, 1, 2, 3, 3, 4, 4};
        for (int k = 0; k <= 6; k++) assertEquals(ones[k], b.summary(k));
    }
}
