package io.autospec.ar;

/**
 * The compact context of the AR batch layout: the values pinned by one candidate prefix of one
 * sample, stored in step order (valueAtRank(r) is the value of position sigma(r)). A query
 * (branch, position, k) reads only the first k of them, so one branch serves every query along a
 * span. Extending a branch writes in place when nobody has extended its storage further (as Go
 * slices do), and copies the prefix otherwise; branches are immutable once made.
 */
public final class Branch {
    private final Order order;
    private final Store store;
    private final int length;

    /** Shared storage of a family of branches; {@code filled} is the longest branch written into it. */
    private static final class Store {
        int[] values;
        long[] summary; // summary[r] summarises values[0..r); null when the oracle keeps none
        int filled;

        Store(int capacity, PrefixSummary s) {
            values = new int[capacity];
            if (s != null) {
                summary = new long[capacity + 1];
                summary[0] = s.initial();
            }
        }
    }

    private Branch(Order order, Store store, int length) {
        this.order = order;
        this.store = store;
        this.length = length;
    }

    /** The empty prefix of a sample. */
    public static Branch empty(Order order, PrefixSummary summary) {
        return new Branch(order, new Store(Math.min(order.length(), 16), summary), 0);
    }

    /**
     * The prefix followed by {@code count} more values, {@code values[from..from+count)} pinned at
     * steps length(), length()+1, ....
     */
    public Branch extend(int[] values, int from, int count, PrefixSummary summary) {
        int n = order.length();
        int newLength = length + count;
        if (newLength > n) throw new IllegalArgumentException("branch longer than n = " + n);
        Store s = store;
        if (s.filled != length || s.values.length < newLength) {
            // Someone else extended this storage (or it is full): copy the prefix.
            int cap = Math.min(n, Math.max(16, 2 * newLength));
            Store t = new Store(cap, summary);
            System.arraycopy(s.values, 0, t.values, 0, length);
            if (summary != null) System.arraycopy(s.summary, 0, t.summary, 0, length + 1);
            s = t;
        }
        System.arraycopy(values, from, s.values, length, count);
        if (summary != null) {
            long acc = s.summary[length];
            for (int r = length; r < newLength; r++) {
                acc = summary.append(acc, order.position(r), s.values[r]);
                s.summary[r + 1] = acc;
            }
        }
        s.filled = newLength;
        return new Branch(order, s, newLength);
    }

    /** Number of pinned values (steps taken). */
    public int length() {
        return length;
    }

    public Order order() {
        return order;
    }

    /** The value pinned at step r (r &lt; length()). */
    public int valueAtRank(int r) {
        return store.values[r];
    }

    /** The value pinned at position {@code pos}; the caller checks that rank(pos) &lt; length(). */
    public int value(int pos) {
        return store.values[order.rank(pos)];
    }

    /** The prefix summary of the first k pinned values (k &lt;= length()). */
    public long summary(int k) {
        return store.summary[k];
    }

    /** The values in position order (requires a complete branch, length() == n). */
    public int[] toPositionOrder() {
        int n = order.length();
        if (length != n) throw new IllegalStateException("branch has " + length + " of " + n + " values");
        int[] out = new int[n];
        for (int r = 0; r < n; r++) out[order.position(r)] = store.values[r];
        return out;
    }

    /** The underlying storage array (values in step order; valid up to length()). For backends. */
    public int[] storage() {
        return store.values;
    }
}
