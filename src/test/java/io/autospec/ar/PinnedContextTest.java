package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.models.ProductOracle;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** {@link PinnedContext} against brute force over the query's branch and order. */
class PinnedContextTest {

    /**
     * Branches built from several segments (a shared prefix extended twice, so reads cross segment
     * boundaries); for every k, every accessor agrees with the definition: the pinned set is
     * {pos : rank(pos) &lt; k} and its values are those of x.
     */
    @Test
    void everyAccessorMatchesTheBranch() {
        SplittableRandom rnd = new SplittableRandom(5);
        for (int n : new int[] {1, 2, 7, 40}) {
            Order order = ArTesting.randomOrder(0, n, rnd);
            int[] x = new int[n];
            for (int i = 0; i < n; i++) x[i] = rnd.nextInt(5);
            int[] steps = new int[n];
            for (int r = 0; r < n; r++) steps[r] = x[order.position(r)];
            Branch prefix = Branch.empty(order, null).extend(steps, 0, n / 3, null);
            prefix.extend(new int[n], 0, n - n / 3, null); // another branch grows the shared store first
            Branch br = prefix.extend(steps, n / 3, n - n / 3, null);
            PinnedContext ctx = new PinnedContext();
            for (int k = 0; k <= n; k++) {
                assertSame(ctx, ctx.of(br, k));
                assertEquals(k, ctx.size());
                for (int i = 0; i < k; i++) {
                    assertEquals(order.position(i), ctx.position(i));
                    assertEquals(x[order.position(i)], ctx.value(i));
                }
                for (int pos = 0; pos < n; pos++) {
                    boolean pinned = order.rank(pos) < k;
                    assertEquals(pinned, ctx.isPinned(pos), "n=" + n + " k=" + k + " pos=" + pos);
                    assertEquals(pinned ? x[pos] : -1, ctx.valueAt(pos));
                    int before = -1, after = -1;
                    for (int p = 0; p < pos; p++) if (order.rank(p) < k) before = p;
                    for (int p = n - 1; p > pos; p--) if (order.rank(p) < k) after = p;
                    assertEquals(before, ctx.pinnedBefore(pos));
                    assertEquals(after, ctx.pinnedAfter(pos));
                }
                List<int[]> seen = new ArrayList<>();
                ctx.forEachPinned((pos, v) -> seen.add(new int[] {pos, v}));
                assertEquals(k, seen.size());
                for (int i = 0; i < k; i++) {
                    assertEquals(order.position(i), seen.get(i)[0]);
                    assertEquals(x[order.position(i)], seen.get(i)[1]);
                }
                int kk = k;
                assertThrows(IndexOutOfBoundsException.class, () -> ctx.value(kk));
                assertThrows(IndexOutOfBoundsException.class, () -> ctx.position(-1));
            }
            assertThrows(IndexOutOfBoundsException.class, () -> ctx.of(br, n + 1));
        }
    }

    /** Pointed at a batch's query, the view reads that query's branch up to its k. */
    @Test
    void viewOfABatchQuery() {
        ProductOracle oracle = ProductOracle.random(6, 3, 1);
        Order order = Order.of(0, 4, 2, 0, 5, 1, 3);
        int[] x = {2, 0, 1, 1, 2, 0};
        Branch br = ArTesting.branch(oracle, order, x, 6);
        ConditionalBatch batch = new ConditionalBatch(oracle);
        batch.add(br, 5, 3);
        batch.add(br, 1, 0);
        PinnedContext ctx = new PinnedContext().of(batch, 0);
        assertEquals(3, ctx.size());
        assertEquals(2, ctx.valueAt(0));
        assertEquals(1, ctx.valueAt(2));
        assertEquals(2, ctx.valueAt(4));
        assertEquals(-1, ctx.valueAt(5));
        assertEquals(0, ctx.of(batch, 1).size());
    }

    /** Reading a context allocates nothing per query (the view is the only object). */
    @Test
    void readsAllocateNothing() {
        com.sun.management.ThreadMXBean mx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
        int n = 64;
        Order order = ArTesting.randomOrder(0, n, new SplittableRandom(9));
        int[] steps = new int[n];
        Branch br = Branch.empty(order, null).extend(steps, 0, n, null);
        PinnedContext ctx = new PinnedContext();
        long sum = 0;
        long before = mx.getCurrentThreadAllocatedBytes();
        for (int rep = 0; rep < 2_000; rep++) {
            ctx.of(br, rep % (n + 1));
            for (int i = 0; i < ctx.size(); i++) sum += ctx.position(i) + ctx.value(i);
            for (int pos = 0; pos < n; pos += 7) sum += ctx.valueAt(pos) + ctx.pinnedBefore(pos);
        }
        long allocated = mx.getCurrentThreadAllocatedBytes() - before;
        assertTrue(sum != 0);
        assertTrue(allocated < 4096, "reading 2000 contexts allocated " + allocated + " bytes");
    }
}
