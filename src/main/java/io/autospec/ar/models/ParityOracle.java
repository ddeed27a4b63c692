package io.autospec.ar.models;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.PrefixSummary;
import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

/**
 * The uniform distribution over the solutions of a consistent system A x = c over F_2 with C &lt;= 64
 * constraints (the AGR24 lower-bound family). Column j of A is a C-bit word. Given the pinned set, a
 * free position i is determined exactly when column i is not in the span of the other free columns;
 * then x_i = lambda . (c + sum_{pinned} x_j A_j) for any lambda with lambda . A_j = 0 on the other free
 * columns and lambda . A_i = 1. Otherwise x_i is a fair coin. The pinned syndrome sum_{pinned} x_j A_j
 * is the branch's prefix summary.
 *
 * <p>Per order, a threshold T2 is precomputed: scanning steps from the last, two disjoint column sets
 * of full rank are collected; for k &lt;= T2 both are free, so no position is determined and the
 * context is consistent (answer 1/2 in O(1)). Above T2 only O(C) columns are free and a small
 * elimination decides.
 */
public final class ParityOracle implements ConditionalOracle {
    private final int n, constraints;
    private final long[] columns; // A's columns
    private final long target;    // c
    private final int rank;

    /**
     * Uniform over the solutions of A x = c over GF(2).
     *
     * @param columns     A by columns: one C-bit word per position (n = columns.length)
     * @param target      c, a C-bit word in the column span of A
     * @param constraints C, at most 64
     */
    public ParityOracle(long[] columns, long target, int constraints) {
        if (constraints < 0 || constraints > 64) throw new IllegalArgumentException("parity supports 0..64 constraints, got " + constraints);
        if (columns.length < 1) throw new IllegalArgumentException("parity needs n >= 1");
        this.n = columns.length;
        this.constraints = constraints;
        this.columns = columns.clone();
        this.target = target;
        long[] basis = new long[64];
        int r = 0;
        for (long c : columns) if (insert(basis, c)) r++;
        this.rank = r;
        if (reduce(basis, target) != 0) throw new IllegalArgumentException("the parity system A x = c has no solution");
    }

    /**
     * C random constraints (each entry of A a fair bit), made consistent by c = A x0 for a random x0.
     *
     * @param n           positions
     * @param constraints C, at most 64
     * @param seed        the model's seed
     * @return the model
     */
    public static ParityOracle random(int n, int constraints, long seed) {
        if (n < 1) throw new IllegalArgumentException("parity needs n >= 1, got " + n);
        if (constraints < 0 || constraints > 64) throw new IllegalArgumentException("parity supports 0..64 constraints, got " + constraints);
        Key key = Key.ofSeed(seed).derive(Purpose.TAG_MODEL, 2, 0);
        long mask = constraints == 64 ? -1L : (1L << constraints) - 1;
        long[] cols = new long[n];
        long c = 0;
        for (int j = 0; j < n; j++) {
            cols[j] = key.bits(Purpose.DRAFT, j, 0) & mask;
            if ((key.bits(Purpose.DRAFT, j, 1) & 1) != 0) c ^= cols[j];
        }
        return new ParityOracle(cols, c, constraints);
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public int alphabet() {
        return 2;
    }

    @Override
    public String describe() {
        return "parity(n=" + n + ", constraints=" + constraints + ", rank=" + rank + ")";
    }

    /** {@return rank of A: the solution set has 2^(n - rank) points} */
    public int rank() {
        return rank;
    }

    /** {@return for backends: a copy of A's columns (one C-bit word per position)} */
    public long[] columns() {
        return columns.clone();
    }

    /** {@return for backends: c, the right-hand side} */
    public long target() {
        return target;
    }

    /** {@return for backends: the threshold T2 that {@link #prepare} computed for this order (see class comment)} */
    public int threshold(Order order) {
        return ((int[]) order.attachment())[0];
    }

    /** {@return whether x satisfies A x = c} */
    public boolean satisfies(int[] x) {
        long s = 0;
        for (int j = 0; j < n; j++) if (x[j] != 0) s ^= columns[j];
        return s == target;
    }

    @Override
    public PrefixSummary prefixSummary() {
        return (syndrome, position, value) -> value != 0 ? syndrome ^ columns[position] : syndrome;
    }

    /** T2 for this order (see class comment). */
    @Override
    public Object prepare(Order order) {
        long[] b1 = new long[64], b2 = new long[64];
        int r1 = 0, r2 = 0;
        int t2 = -1;
        if (rank == 0) {
            t2 = n;
        } else {
            for (int r = n - 1; r >= 0; r--) {
                long col = columns[order.position(r)];
                if (r1 < rank) {
                    if (insert(b1, col)) r1++;
                } else if (insert(b2, col) && ++r2 == rank) {
                    t2 = r;
                    break;
                }
            }
        }
        return new int[] {t2};
    }

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        long[] pivots = new long[64];
        boolean[] rhs = new boolean[64];
        for (int j = from; j < to; j++) {
            Branch br = batch.context(j);
            Order order = br.order();
            int k = batch.pinned(j), pos = batch.position(j);
            int t2 = threshold(order);
            int o = 2 * j;
            if (k <= t2) {
                out[o] = 0.5;
                out[o + 1] = 0.5;
                continue;
            }
            // Solve M^T lambda = e_pos over the free columns (rows = free columns, C unknowns).
            java.util.Arrays.fill(pivots, 0);
            java.util.Arrays.fill(rhs, false);
            boolean determined = true;
            for (int r = k; r < n; r++) {
                int col = order.position(r);
                long v = columns[col];
                boolean b = col == pos;
                while (v != 0) {
                    int p = 63 - Long.numberOfLeadingZeros(v);
                    if (pivots[p] == 0) break;
                    v ^= pivots[p];
                    b ^= rhs[p];
                }
                if (v == 0) {
                    if (b) determined = false; // column pos is in the span of the other free columns
                } else {
                    int p = 63 - Long.numberOfLeadingZeros(v);
                    pivots[p] = v;
                    rhs[p] = b;
                }
            }
            long s = target ^ br.summary(k); // what the free positions must produce
            long rem = s;
            while (rem != 0) {
                int p = 63 - Long.numberOfLeadingZeros(rem);
                if (pivots[p] == 0) break;
                rem ^= pivots[p];
            }
            if (rem != 0) { // the pinned values violate the constraints: impossible context
                out[o] = 0;
                out[o + 1] = 0;
                continue;
            }
            if (!determined) {
                out[o] = 0.5;
                out[o + 1] = 0.5;
                continue;
            }
            // Back-substitute lambda in increasing pivot order (free unknowns = 0).
            long lambda = 0;
            for (int p = 0; p < 64; p++) {
                if (pivots[p] == 0) continue;
                boolean bit = rhs[p] ^ (Long.bitCount(pivots[p] & ~(1L << p) & lambda) & 1) != 0;
                if (bit) lambda |= 1L << p;
            }
            int value = Long.bitCount(lambda & s) & 1;
            out[o] = value == 0 ? 1 : 0;
            out[o + 1] = value;
        }
    }

    private static boolean insert(long[] basis, long v) {
        v = reduce(basis, v);
        if (v == 0) return false;
        basis[63 - Long.numberOfLeadingZeros(v)] = v;
        return true;
    }

    private static long reduce(long[] basis, long v) {
        while (v != 0) {
            int p = 63 - Long.numberOfLeadingZeros(v);
            if (basis[p] == 0) return v;
            v ^= basis[p];
        }
        return 0;
    }
}
