package io.autospec.ar;

/**
 * A reusable, allocation-free view of one query's pinned context: the k values its branch pinned
 * at steps 0..k-1, by step ({@link #position(int)}, {@link #value(int)}) or by position
 * ({@link #isPinned(int)}, {@link #valueAt(int)}). Point it at a query with {@link #of}; make one
 * per {@link ConditionalOracle#conditionals} call (that method runs concurrently on several threads,
 * so a view must not be shared between calls):
 *
 * <pre>{@code
 * public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
 *     PinnedContext ctx = new PinnedContext();
 *     for (int j = from; j < to; j++) {
 *         ctx.of(batch, j);
 *         for (int i = 0; i < ctx.size(); i++) {
 *             int pos = ctx.position(i), value = ctx.value(i);
 *             // ... condition on X_pos = value
 *         }
 *     }
 * }
 * }</pre>
 */
public final class PinnedContext {
    /** Receives one pinned (position, value) pair; see {@link #forEachPinned}. */
    @FunctionalInterface
    public interface PinnedConsumer {
        /**
         * Called with a pinned position and its value.
         *
         * @param position a pinned position
         * @param value    the value pinned there
         */
        void accept(int position, int value);
    }

    private Branch branch;
    private Order order;
    private int size;

    /** An empty view (size 0) until {@link #of} points it at a query. */
    public PinnedContext() {}

    /**
     * Points this view at a query of a batch.
     *
     * @param batch the batch handed to the oracle
     * @param j     the query's index in the batch
     * @return this view
     */
    public PinnedContext of(ConditionalQueries batch, int j) {
        return of(batch.context(j), batch.pinned(j));
    }

    /**
     * Points this view at the first {@code k} pinned values of a branch.
     *
     * @param branch the branch
     * @param k      how many of its pinned values the view shows, 0 &lt;= k &lt;= branch.length()
     * @return this view
     */
    public PinnedContext of(Branch branch, int k) {
        if (k < 0 || k > branch.length()) {
            throw new IndexOutOfBoundsException("k = " + k + " for a branch of " + branch.length() + " pinned values");
        }
        this.branch = branch;
        this.order = branch.order();
        this.size = k;
        return this;
    }

    /** {@return k, the number of pinned values the query may read} */
    public int size() {
        return size;
    }

    /**
     * The position pinned at step {@code i}.
     *
     * @param i a step, 0 &lt;= i &lt; size()
     * @return the position sigma(i)
     */
    public int position(int i) {
        return order.position(check(i));
    }

    /**
     * The value pinned at step {@code i}.
     *
     * @param i a step, 0 &lt;= i &lt; size()
     * @return the value of position sigma(i)
     */
    public int value(int i) {
        return branch.valueAtRank(check(i));
    }

    /**
     * Whether a position is pinned in this context.
     *
     * @param pos a position, 0 &lt;= pos &lt; n
     * @return whether its rank is below size()
     */
    public boolean isPinned(int pos) {
        return order.rank(pos) < size;
    }

    /**
     * The value pinned at a position.
     *
     * @param pos a position, 0 &lt;= pos &lt; n
     * @return its value, or -1 when it is not pinned in this context
     */
    public int valueAt(int pos) {
        int r = order.rank(pos);
        return r < size ? branch.valueAtRank(r) : -1;
    }

    /**
     * The nearest pinned position before a position (O(log n)).
     *
     * @param pos a position
     * @return the largest pinned position below {@code pos}, or -1 if none
     */
    public int pinnedBefore(int pos) {
        return order.pinnedBefore(pos, size);
    }

    /**
     * The nearest pinned position after a position (O(log n)).
     *
     * @param pos a position
     * @return the smallest pinned position above {@code pos}, or -1 if none
     */
    public int pinnedAfter(int pos) {
        return order.pinnedAfter(pos, size);
    }

    /**
     * Calls an action with every pinned (position, value), in step order.
     *
     * @param action what to do with each pair
     */
    public void forEachPinned(PinnedConsumer action) {
        for (int i = 0; i < size; i++) action.accept(order.position(i), branch.valueAtRank(i));
    }

    private int check(int i) {
        if (i < 0 || i >= size) throw new IndexOutOfBoundsException("step " + i + " of a context with " + size + " pinned values");
        return i;
    }
}
