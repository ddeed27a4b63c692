package io.autospec.ar;

import io.autospec.spi.Key;
import io.autospec.spi.Purpose;
import java.util.Arrays;

/**
 * The order sigma in which one sample pins positions: step r pins position sigma(r). Holds sigma,
 * its inverse rank(pos), and a min-tree over ranks so that "the nearest pinned neighbour of pos
 * among the first k steps" costs O(log n) (what chain-structured oracles need).
 */
public final class Order {
    private final int sample;
    private final int[] sigma;
    private final int[] rank;
    private final int leaves;
    private final int[] minTree;
    private Object attachment;

    private Order(int sample, int[] sigma) {
        this.sample = sample;
        this.sigma = sigma;
        int n = sigma.length;
        this.rank = new int[n];
        Arrays.fill(rank, -1);
        for (int r = 0; r < n; r++) {
            int p = sigma[r];
            if (p < 0 || p >= n || rank[p] != -1) {
                throw new IllegalArgumentException("not a permutation of 0.." + (n - 1) + ": position " + p + " at step " + r);
            }
            rank[p] = r;
        }
        int size = 1;
        while (size < n) size <<= 1;
        this.leaves = size;
        this.minTree = new int[2 * size];
        Arrays.fill(minTree, Integer.MAX_VALUE);
        System.arraycopy(rank, 0, minTree, size, n);
        for (int i = size - 1; i >= 1; i--) minTree[i] = Math.min(minTree[2 * i], minTree[2 * i + 1]);
    }

    /** {@return a uniformly random order of n positions, drawn by Fisher-Yates from the sample's stream} */
    public static Order random(int sample, int n, Key key) {
        int[] sigma = new int[n];
        for (int i = 0; i < n; i++) sigma[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = key.boundedInt(Purpose.ORDER, i, i + 1);
            int t = sigma[i];
            sigma[i] = sigma[j];
            sigma[j] = t;
        }
        return new Order(sample, sigma);
    }

    /** {@return a fixed order (sigma[r] = position pinned at step r)} */
    public static Order of(int sample, int... sigma) {
        return new Order(sample, sigma.clone());
    }

    /** {@return the identity order 0, 1, ..., n-1 (left to right)} */
    public static Order identity(int sample, int n) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = i;
        return new Order(sample, s);
    }

    /** {@return index of the sample this order belongs to} */
    public int sample() {
        return sample;
    }

    /** {@return n, the number of positions} */
    public int length() {
        return sigma.length;
    }

    /** {@return sigma(r): the position pinned at step r} */
    public int position(int r) {
        return sigma[r];
    }

    /** {@return the step at which position {@code pos} is pinned} */
    public int rank(int pos) {
        return rank[pos];
    }

    /** {@return nearest position j &lt; pos with rank(j) &lt; k, or -1 if none} */
    public int pinnedBefore(int pos, int k) {
        int i = pos + leaves;
        while (i > 1) {
            if ((i & 1) == 1 && minTree[i - 1] < k) {
                i--;
                while (i < leaves) i = minTree[2 * i + 1] < k ? 2 * i + 1 : 2 * i;
                return i - leaves;
            }
            i >>>= 1;
        }
        return -1;
    }

    /** {@return nearest position j &gt; pos with rank(j) &lt; k, or -1 if none} */
    public int pinnedAfter(int pos, int k) {
        int i = pos + leaves;
        while (i > 1) {
            if ((i & 1) == 0 && minTree[i + 1] < k) {
                i++;
                while (i < leaves) i = minTree[2 * i] < k ? 2 * i : 2 * i + 1;
                return i - leaves;
            }
            i >>>= 1;
        }
        return -1;
    }

    /**
     * For backends: the number of leaves of the min-tree over ranks (the smallest power of two
     * &gt;= n). Leaf of position p: node {@code leaves() + p}.
     */
    public int leaves() {
        return leaves;
    }

    /**
     * For backends: a copy of the min-tree over ranks used by {@link #pinnedBefore} and
     * {@link #pinnedAfter}: node i (1 &lt;= i &lt; 2 leaves()) holds the smallest rank below it, node i
     * has children 2i and 2i+1, leaf {@code leaves() + p} holds rank(p), padding leaves hold
     * {@code Integer.MAX_VALUE}; entry 0 is unused.
     */
    public int[] minTree() {
        return minTree.clone();
    }

    /** {@return sigma as an array (copy)} */
    public int[] sigma() {
        return sigma.clone();
    }

    /** {@return oracle-specific data computed once per order ({@link ConditionalOracle#prepare})} */
    public Object attachment() {
        return attachment;
    }

    /** Runs the oracle's per-order precomputation ({@link ConditionalOracle#prepare}) once. */
    public Order prepareFor(ConditionalOracle oracle) {
        this.attachment = oracle.prepare(this);
        return this;
    }
}
