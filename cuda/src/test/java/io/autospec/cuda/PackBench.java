package io.autospec.cuda;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ProductOracle;
import io.autospec.spi.Key;

/**
 * Host cost of packing one engine-path launch (no device: a {@link CountingDevice}): a round of
 * QUERIES queries as lone queries (4-int query records, the per-query layout: two identity lookups
 * per query) against the same queries as the engine's requests of 16 or 64 (one 8-int record per
 * request, expanded on the device). Steady state: orders and values already in the arenas, as in a
 * run's later rounds. Prints ns per query and queries per second for filling the batch and packing.
 *
 * <p>Run: {@code mvn -o -q -B -pl cuda -am test-compile} then
 * {@code java -cp cuda/target/test-classes:cuda/target/classes:target/classes io.autospec.cuda.PackBench [queries]}
 */
final class PackBench {
    private PackBench() {}

    public static void main(String[] args) {
        int queries = args.length > 0 ? Integer.parseInt(args[0]) : 1_000_000;
        int n = 256, samples = 4096, known = 128;
        for (ConditionalOracle oracle : new ConditionalOracle[] {ProductOracle.random(n, 4, 1), MarkovChain.stay(n, 4, 0.8)}) {
            CountingDevice dev = new CountingDevice(1L << 34);
            DeviceHeap heap = new DeviceHeap(dev, 1L << 34);
            ArModel model = ArModel.create(oracle, heap, LaunchPlanningTest.noUpload(heap));
            model.orders.ensureCapacity((long) samples * (n + 2L * 512));
            model.values.ensureCapacity((long) samples * 2 * n);
            Branch[] branches = new Branch[samples];
            int[] vals = new int[n];
            for (int s = 0; s < samples; s++) {
                Order order = Order.random(s, n, Key.ofSeed(7)).prepareFor(oracle);
                for (int i = 0; i < n; i++) vals[i] = (i * 31 + s) % 4;
                branches[s] = Branch.empty(order, null).extend(vals, 0, known, null);
            }
            for (int size : new int[] {16, 64}) {
                int requests = queries / size;
                for (boolean lone : new boolean[] {true, false}) {
                    ConditionalBatch batch = null;
                    ArPacker p = new ArPacker();
                    long fillBest = Long.MAX_VALUE, packBest = Long.MAX_VALUE;
                    for (int rep = 0; rep < 7; rep++) {
                        long t0 = System.nanoTime();
                        batch = fill(new ConditionalBatch(oracle), branches, requests, size, lone);
                        long t1 = System.nanoTime();
                        if (!p.pack(model, batch, 0, batch.size())) throw new IllegalStateException("arena full");
                        long t2 = System.nanoTime();
                        if (rep >= 2) { // after warm-up (and after the first pass put everything in the arenas)
                            fillBest = Math.min(fillBest, t1 - t0);
                            packBest = Math.min(packBest, t2 - t1);
                        }
                    }
                    long up = lone ? 16L * batch.size() : 4L * ArPacker.RECORD_INTS * p.records;
                    System.out.printf("%-28s requests of %2d, %-15s fill (new batch) %6.1f ns/query, pack %6.1f ns/query (%5.1f M queries/s), %4.1f MB of records%n",
                            oracle.describe(), size, lone ? "lone queries:" : "request records:", fillBest / (double) batch.size(),
                            packBest / (double) batch.size(), batch.size() * 1e3 / packBest, up / 1e6);
                }
            }
            model.close();
            heap.close();
        }
    }

    /** Marginal requests of {@code size} steps from the branch's end, round robin over the branches. */
    private static ConditionalBatch fill(ConditionalBatch batch, Branch[] branches, int requests, int size, boolean lone) {
        for (int i = 0; i < requests; i++) {
            Branch b = branches[i % branches.length];
            int a = b.length();
            if (!lone) {
                batch.addRequest(b, a, size, false, false);
            } else {
                for (int r = a; r < a + size; r++) batch.add(b, b.order().position(r), a);
            }
        }
        return batch;
    }
}
