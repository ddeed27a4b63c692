package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.Order;
import io.autospec.ar.models.MarkovChain;
import io.autospec.spi.Key;
import org.junit.jupiter.api.Test;

/** Launch shapes, buffer growth, splitting and arena packing, all without a device. */
class LaunchPlanningTest {

    @Test
    void launchShapeCoversEveryItemOnce() {
        for (long items : new long[] {1, 127, 128, 129, 1000, 1L << 20, (1L << 27) + 3, 5_000_000_000L}) {
            LaunchConfig c = LaunchConfig.forItems(items);
            assertEquals(LaunchConfig.BLOCK, c.block());
            assertTrue(c.grid() >= 1 && c.grid() <= LaunchConfig.MAX_GRID, "grid " + c.grid());
            long threads = (long) c.grid() * c.block();
            // Every item gets a thread (grid-stride), and no block is entirely idle.
            assertTrue(threads * c.itemsPerThread(items) >= items);
            assertTrue((long) (c.grid() - 1) * c.block() < items);
        }
        assertEquals(1, LaunchConfig.forItems(1).grid());
        assertEquals(2, LaunchConfig.forItems(LaunchConfig.BLOCK + 1).grid());
        assertEquals(LaunchConfig.MAX_GRID, LaunchConfig.forItems(1L << 40).grid());
        assertThrows(IllegalArgumentException.class, () -> LaunchConfig.forItems(0));
    }

    @Test
    void buffersGrowGeometricallyInGranulesWithinTheLimit() {
        long g = Growth.GRANULE;
        assertEquals(0, Growth.capacity(0, 0, Long.MAX_VALUE));
        assertEquals(g, Growth.capacity(0, 1, Long.MAX_VALUE));
        assertEquals(4 * g, Growth.capacity(4 * g, 3 * g, Long.MAX_VALUE), "fits: no growth");
        assertEquals(8 * g, Growth.capacity(4 * g, 4 * g + 1, Long.MAX_VALUE), "doubles");
        assertEquals(20 * g, Growth.capacity(4 * g, 20 * g, Long.MAX_VALUE), "jumps to what is needed");
        assertEquals(6 * g, Growth.capacity(4 * g, 5 * g, 6 * g + 100), "capped by the limit");
        assertEquals(7 * g + 5, Growth.capacity(4 * g, 7 * g + 5, 6 * g), "never below what is needed");
        // A buffer grown from nothing to N bytes by one-byte steps reallocates O(log N) times.
        long cap = 0;
        int reallocations = 0;
        for (long need = 1; need <= 1 << 26; need += 4099) {
            long next = Growth.capacity(cap, need, Long.MAX_VALUE);
            if (next != cap) reallocations++;
            cap = next;
        }
        assertTrue(reallocations <= 12, "reallocations: " + reallocations);
        assertEquals(256, Growth.align(1));
        assertEquals(512, Growth.align(257));
        assertEquals(0, Growth.align(0));
    }

    @Test
    void splittingFollowsTheBudgetAndHalvesDownToOne() {
        assertEquals(1000, Splitting.initialChunk(1000, 1 << 30, 100));
        assertEquals(10, Splitting.initialChunk(1000, 1000, 100));
        assertEquals(1, Splitting.initialChunk(1000, 10, 100), "at least one query per launch");
        assertEquals(50, Splitting.halve(100));
        assertEquals(1, Splitting.halve(1));
        assertThrows(IllegalArgumentException.class, () -> Splitting.initialChunk(0, 10, 1));
    }

    @Test
    void heapEnforcesTheBudgetAndFreesEverythingOnClose() {
        CountingDevice dev = new CountingDevice(1 << 20);
        DeviceHeap heap = new DeviceHeap(dev, 100_000);
        DeviceMemory a = heap.allocate(60_000, "a");
        DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> heap.allocate(50_000, "b"));
        assertTrue(e.getMessage().contains("budget") && e.getMessage().startsWith("b:"), e.getMessage());
        heap.free(a);
        DeviceBuffer buf = new DeviceBuffer(heap, "buf");
        DeviceMemory m1 = buf.ensure(30_000);
        assertTrue(m1.bytes >= 30_000);
        assertTrue(buf.ensure(20_000) == m1, "reused when it fits");
        DeviceMemory m2 = buf.ensure(70_000); // 2x would pass the budget: capped, still >= needed
        assertTrue(m2.bytes >= 70_000 && m2.bytes <= 100_000, "capacity " + m2.bytes);
        assertEquals(m2.bytes, heap.inUse());
        heap.allocateHost(1000, "staging");
        heap.close();
        assertEquals(0, dev.inUse);
        assertEquals(0, dev.live);
    }

    @Test
    void packerUploadsOrdersOnceAndOnlyNewValues() {
        int n = 40;
        MarkovChain chain = MarkovChain.stay(n, 3, 0.8);
        CountingDevice dev = new CountingDevice(1 << 24);
        DeviceHeap heap = new DeviceHeap(dev, 1 << 24);
        ArModel model = ArModel.create(chain, heap, noUpload(heap));
        assertNotNull(model);
        model.orders.ensureCapacity(10_000);
        model.values.ensureCapacity(10_000);
        Order order = Order.random(0, n, Key.ofSeed(5));
        Branch empty = Branch.empty(order, null);
        int[] vals = new int[n];
        for (int i = 0; i < n; i++) vals[i] = i % 3;
        Branch b10 = empty.extend(vals, 0, 10, null);
        Branch b14 = b10.extend(vals, 10, 4, null); // same storage (capacity 16), extended in place
        assertTrue(b14.storageIdentity() == b10.storageIdentity());

        ConditionalBatch batch = new ConditionalBatch(chain);
        for (int r = 10; r < 14; r++) batch.add(b10, order.position(r), 10);
        batch.add(b10, order.position(20), 3);
        ArPacker p = new ArPacker();
        assertTrue(p.pack(model, batch, 0, batch.size()));
        assertEquals(1, p.orderPatches.size / 3, "one order record");
        assertEquals(2 * order.leaves() + n, p.orderData.size, "the min-tree, then sigma");
        assertEquals(1, p.valuePatches.size / 3, "one value patch");
        assertEquals(10, p.valueData.size, "values up to the largest k");
        for (int i = 0; i < 10; i++) assertEquals(vals[i], p.valueData.a[i]);

        // Next launch: the same branch family read further; the order is already there.
        ConditionalBatch next = new ConditionalBatch(chain);
        next.add(b14, order.position(30), 14);
        next.add(b10, order.position(12), 10);
        assertTrue(p.pack(model, next, 0, next.size()));
        assertEquals(0, p.orderPatches.size, "order cached");
        assertEquals(3, p.valuePatches.size, "one delta patch");
        assertEquals(4, p.valueData.size, "only values [10, 14)");
        assertEquals(p.queries[2], p.queries[6], "both branches share one storage entry");
        assertEquals(model.values.get(b10.storageIdentity()).offset + 10, p.valuePatches.a[0]);

        // A branch family that outgrows its storage, or diverges, continues in a new storage: new entry.
        Branch b20 = b14.extend(vals, 14, 6, null);
        assertFalse(b20.storageIdentity() == b14.storageIdentity());
        Branch other = b10.extend(new int[] {2, 2, 2}, 0, 3, null);
        assertFalse(other.storageIdentity() == b10.storageIdentity());
        ConditionalBatch third = new ConditionalBatch(chain);
        third.add(other, order.position(30), 13);
        assertTrue(p.pack(model, third, 0, 1));
        assertEquals(13, p.valueData.size);
        assertEquals(2, model.values.entries());

        // Arena full: the packer reports it, a reset forgets everything.
        model.values.reset();
        model.orders.reset();
        assertEquals(0, model.values.entries());
        assertTrue(model.values.resets() >= 1);
        long[] need = ArPacker.need(model, batch, 0, batch.size());
        assertEquals(b10.storageCapacity(), need[0]);
        assertEquals(2 * order.leaves() + n, need[1]);
        model.close();
        heap.close();
        assertEquals(0, dev.inUse);
    }

    @Test
    void packerRejectsQueriesTheDeviceCannotEvaluate() {
        MarkovChain chain = MarkovChain.stay(8, 2, 0.9);
        CountingDevice dev = new CountingDevice(1 << 20);
        DeviceHeap heap = new DeviceHeap(dev, 1 << 20);
        ArModel model = ArModel.create(chain, heap, noUpload(heap));
        Order order = Order.identity(3, 8);
        Branch b = Branch.empty(order, null).extend(new int[] {1, 0}, 0, 2, null);
        ConditionalBatch batch = new ConditionalBatch(chain);
        batch.add(b, 5, 4); // k beyond the branch's 2 values
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new ArPacker().pack(model, batch, 0, 1));
        assertTrue(e.getMessage().contains("query #0 (sample 3, position 5, 4 pinned)"), e.getMessage());
        ConditionalBatch bad = new ConditionalBatch(chain);
        bad.add(b, 9, 1);
        assertTrue(assertThrows(IllegalArgumentException.class, () -> new ArPacker().pack(model, bad, 0, 1))
                .getMessage().contains("position outside"));
        model.close();
        heap.close();
    }

    @Test
    void kernelArgsCheckLayout() {
        KernelArgs w = new KernelArgs();
        assertEquals(40, w.begin("k", 40).i64(1).ptr(null, 0).ptr(new DeviceMemory(0x100, 8, null), 8).i32(3).i32(0).i64(2).end().remaining());
        assertThrows(IllegalStateException.class, () -> w.begin("k", 16).i32(1).i64(2));
        assertThrows(IllegalStateException.class, () -> w.begin("k", 16).i64(1).end());
        assertEquals(0x108, new KernelArgs().begin("k", 8).ptr(new DeviceMemory(0x100, 8, null), 8).end().getLong(0));
    }

    static ArModel.Uploader noUpload(DeviceHeap heap) {
        return new ArModel.Uploader() {
            @Override
            public DeviceMemory doubles(double[] data, String what) {
                return heap.allocate(Math.max(8, 8L * data.length), what);
            }

            @Override
            public DeviceMemory ints(int[] data, String what) {
                return heap.allocate(Math.max(8, 4L * data.length), what);
            }

            @Override
            public DeviceMemory longs(long[] data, String what) {
                return heap.allocate(Math.max(8, 8L * data.length), what);
            }
        };
    }
}
