package io.autospec.ar;

import java.util.Arrays;

/**
 * The compact context of the AR batch layout: the values pinned by one candidate prefix of one
 * sample, in step order (valueAtRank(r) is the value of position sigma(r)). A query
 * (branch, position, k) reads only the first k of them, so one branch serves every query along a
 * span. Branches are immutable once made.
 *
 * <p><b>Storage.</b> A branch is a short chain of <em>segments</em>: shared stores, each holding the
 * values of a contiguous range of steps. Extending the tip of the top store (nobody has written past
 * this branch) appends in place, as Go slices do; extending a non-tip starts a new segment on top and
 * copies nothing. The many trials of a fallback, which all extend the same prefix, thus cost memory
 * in proportion to their own span, however deep the recursion. A chain longer than
 * {@link #MAX_SEGMENTS} is flattened into one store. Reading a value costs a binary search over the
 * segments only when it lies below the top one.
 */
public final class Branch {
    /** Longer chains are copied into a single store on their next non-tip extension. */
    static final int MAX_SEGMENTS = 48;

    private final Order order;
    private final Store[] stores; // bottom to top; stores[i] holds steps [starts[i], starts[i + 1])
    private final int[] starts;
    private final int length;

    /** Values (and prefix summaries) of steps start, start+1, ..., written once. */
    private static final class Store {
        final int start;
        int[] values;
        long[] summary; // summary[i]: the prefix summary of the first start + i pinned values
        int filled;     // values written: the longest branch using this store ends at start + filled

        Store(int start, int capacity, boolean summaries, long startSummary) {
            this.start = start;
            values = new int[capacity];
            if (summaries) {
                summary = new long[capacity + 1];
                summary[0] = startSummary;
            }
        }
    }

    private Branch(Order order, Store[] stores, int[] starts, int length) {
        this.order = order;
        this.stores = stores;
        this.starts = starts;
        this.length = length;
    }

    /** {@return the empty prefix of a sample} */
    public static Branch empty(Order order, PrefixSummary summary) {
        Store s = new Store(0, Math.min(order.length(), 16), summary != null, summary == null ? 0 : summary.initial());
        return new Branch(order, new Store[] {s}, new int[] {0}, 0);
    }

    /**
     * The prefix followed by {@code count} more values, {@code values[from..from+count)} pinned at
     * steps length(), length()+1, ....
     */
    public Branch extend(int[] values, int from, int count, PrefixSummary summary) {
        int n = order.length();
        int newLength = length + count;
        if (count < 0 || newLength > n) throw new IllegalArgumentException("cannot extend a branch of " + length + " by " + count + " (n = " + n + ")");
        int last = stores.length - 1;
        Store top = stores[last];
        int used = length - top.start;
        if (top.filled == used) {
            // The tip of the top store: append in place, growing the store (by doubling) when full.
            Store[] st = stores;
            if (top.values.length < used + count) {
                Store grown = new Store(top.start, Math.min(n - top.start, Math.max(16, 2 * (used + count))), summary != null, 0);
                copyInto(top, used, grown);
                st = stores.clone();
                st[last] = grown;
                top = grown;
            }
            write(top, used, values, from, count, summary);
            return new Branch(order, st, starts, newLength);
        }
        if (stores.length >= MAX_SEGMENTS) {
            // A deep chain: flatten it into one store (rare; keeps reads cheap).
            Store flat = new Store(0, Math.min(n, Math.max(16, 2 * newLength)), summary != null, 0);
            copyValues(0, length, flat.values, 0);
            if (summary != null) for (int k = 0; k <= length; k++) flat.summary[k] = summary(k);
            flat.filled = length;
            write(flat, length, values, from, count, summary);
            return new Branch(order, new Store[] {flat}, new int[] {0}, newLength);
        }
        // Someone else extended the top store further: a new segment on top, nothing copied.
        Store s = new Store(length, Math.min(n - length, Math.max(16, 2 * count)), summary != null, summary == null ? 0 : summary(length));
        write(s, 0, values, from, count, summary);
        if (used == 0) { // this branch reads nothing of its top store: replace it (starts stay increasing)
            Store[] st = stores.clone();
            st[last] = s;
            return new Branch(order, st, starts, newLength);
        }
        Store[] st = Arrays.copyOf(stores, stores.length + 1);
        st[stores.length] = s;
        int[] sa = Arrays.copyOf(starts, starts.length + 1);
        sa[starts.length] = length;
        return new Branch(order, st, sa, newLength);
    }

    private static void copyInto(Store from, int count, Store to) {
        System.arraycopy(from.values, 0, to.values, 0, count);
        if (from.summary != null) System.arraycopy(from.summary, 0, to.summary, 0, count + 1);
        to.filled = count;
    }

    /** Writes values at store index {@code at} (step store.start + at onwards), with summaries. */
    private void write(Store s, int at, int[] values, int from, int count, PrefixSummary summary) {
        System.arraycopy(values, from, s.values, at, count);
        if (summary != null) {
            long acc = s.summary[at];
            for (int i = at; i < at + count; i++) {
                acc = summary.append(acc, order.position(s.start + i), s.values[i]);
                s.summary[i + 1] = acc;
            }
        }
        s.filled = at + count;
    }

    /** Index of the segment holding step r: the last one starting at or before r (starts increase). */
    private int segment(int r) {
        int last = starts.length - 1;
        if (r >= starts[last]) return last;
        int lo = 0, hi = last - 1; // answer in [lo, hi]
        while (lo < hi) {
            int mid = (lo + hi + 1) >>> 1;
            if (starts[mid] <= r) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /**
     * {@return the first {@code k} pinned values of this branch} (k &lt;= length()): the same stores
     * read to step k; extending it writes a new segment, never over this branch's values.
     */
    Branch prefix(int k) {
        if (k < 0 || k > length) throw new IllegalArgumentException("no prefix of " + k + " steps in a branch of " + length);
        if (k == length) return this;
        int top = segment(k);
        return new Branch(order, Arrays.copyOf(stores, top + 1), Arrays.copyOf(starts, top + 1), k);
    }

    /** {@return number of pinned values (steps taken)} */
    public int length() {
        return length;
    }

    /** {@return the order of the sample this branch belongs to} */
    public Order order() {
        return order;
    }

    /** {@return the value pinned at step r (r &lt; length())} */
    public int valueAtRank(int r) {
        int i = segment(r);
        return stores[i].values[r - starts[i]];
    }

    /** {@return the value pinned at position {@code pos}; the caller checks that rank(pos) &lt; length()} */
    public int value(int pos) {
        return valueAtRank(order.rank(pos));
    }

    /** {@return the prefix summary of the first k pinned values (k &lt;= length())} */
    public long summary(int k) {
        int i = segment(k);
        return stores[i].summary[k - starts[i]];
    }

    /** Number of segments (for tests and diagnostics). */
    int segments() {
        return stores.length;
    }

    /** {@return the values in position order (requires a complete branch, length() == n)} */
    public int[] toPositionOrder() {
        int n = order.length();
        if (length != n) throw new IllegalStateException("branch has " + length + " of " + n + " values");
        int[] steps = new int[n];
        copyValues(0, n, steps, 0);
        int[] out = new int[n];
        for (int r = 0; r < n; r++) out[order.position(r)] = steps[r];
        return out;
    }

    // ---- for backends that mirror branches on a device ----

    /**
     * Identity of the storage this branch's top values live in. Branches with the same identity read
     * the same values at every step both have (the segments below a store never change), and those
     * values never change, so a backend can keep one flat copy per identity and upload only the steps
     * it has not seen yet.
     */
    public Object storageIdentity() {
        return stores[stores.length - 1];
    }

    /** {@return how many steps the storage identified by {@link #storageIdentity()} can ever hold} */
    public int storageCapacity() {
        Store top = stores[stores.length - 1];
        return top.start + top.values.length;
    }

    /** Copies the values of steps [fromRank, toRank) into {@code dst[off..]}. */
    public void copyValues(int fromRank, int toRank, int[] dst, int off) {
        if (toRank > length || fromRank < 0) throw new IndexOutOfBoundsException("steps [" + fromRank + ", " + toRank + ") of a branch of " + length);
        int r = fromRank;
        for (int i = fromRank < toRank ? segment(fromRank) : stores.length; r < toRank; i++) {
            int end = i + 1 < starts.length ? Math.min(starts[i + 1], toRank) : toRank;
            System.arraycopy(stores[i].values, r - starts[i], dst, off, end - r);
            off += end - r;
            r = end;
        }
    }
}
