package io.autospec.cuda;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.Order;
import java.util.IdentityHashMap;

/**
 * Packs queries [lo, hi) of a conditional batch into the compact device layout (kernels/ar_kernels.cuh):
 * 4 ints per query (position, k, value base, order base), the prefix summaries, and the patches that
 * bring the model's arenas up to date: orders not yet on the device, and for each branch family only
 * the values [uploaded, largest k read) not yet there. Pure host code (tested without a GPU).
 */
final class ArPacker {
    int count;
    int[] queries = new int[1024];
    long[] summaries = new long[256];
    /** Patches as (dst offset, src offset, length) into the arena, data in {@code valueData}/{@code orderData}. */
    final IntList valuePatches = new IntList(), valueData = new IntList();
    final IntList orderPatches = new IntList(), orderData = new IntList();
    /**
     * For a validated launch (kernels/validate_kernels.cuh), 2 ints per query: the scored value (-1: the
     * whole row) and the query's offset in the compact outputs, in doubles; {@code outputDoubles} in all.
     */
    int[] outputMeta = new int[512];
    long outputDoubles;

    void clear() {
        count = 0;
        valuePatches.clear();
        valueData.clear();
        orderPatches.clear();
        orderData.clear();
    }

    /**
     * Packs the queries; false when an arena ran out of room (the caller resets or grows the arenas
     * and packs again; entries added by a failed pass stay valid bookkeeping only after a reset).
     * @throws IllegalArgumentException naming a query the device cannot evaluate
     */
    boolean pack(ArModel model, ConditionalBatch batch, int lo, int hi) {
        clear();
        int c = hi - lo;
        if (queries.length < 4 * c) queries = new int[Math.max(4 * c, 2 * queries.length)];
        boolean sums = model.usesSummaries();
        if (sums && summaries.length < c) summaries = new long[Math.max(c, 2 * summaries.length)];
        boolean vals = model.usesValues();
        for (int j = lo; j < hi; j++) {
            Branch br = batch.context(j);
            Order order = br.order();
            int pos = batch.position(j), k = batch.pinned(j);
            if (pos < 0 || pos >= model.n) throw ArModel.badQuery(batch, j, "position outside [0, " + model.n + ")");
            if (k < 0 || k > br.length() || k > model.maxPinned()) {
                throw ArModel.badQuery(batch, j, "k = " + k + " outside [0, " + Math.min(br.length(), model.maxPinned()) + "]");
            }
            if (order.length() != model.n) throw ArModel.badQuery(batch, j, "its order has " + order.length() + " positions, the oracle " + model.n);
            int orderBase = 0;
            int oInts = model.orderInts(order);
            if (oInts > 0) {
                IntArena.Entry e = model.orders.get(order);
                if (e == null) {
                    e = model.orders.add(order, oInts);
                    if (e == null) return false;
                    int at = orderData.size;
                    model.writeOrder(order, orderData);
                    if (orderData.size - at != oInts) throw new IllegalStateException("order record of " + (orderData.size - at) + " ints, expected " + oInts);
                    e.uploaded = oInts;
                    orderPatches.add(e.offset);
                    orderPatches.add(at);
                    orderPatches.add(oInts);
                }
                orderBase = e.offset;
            }
            int valueBase = 0;
            if (vals && k > 0) {
                Object storage = br.storageIdentity();
                IntArena.Entry e = model.values.get(storage);
                if (e == null) {
                    e = model.values.add(storage, br.storageCapacity());
                    if (e == null) return false;
                }
                if (e.uploaded < k) {
                    valuePatches.add(e.offset + e.uploaded);
                    valuePatches.add(valueData.size);
                    valuePatches.add(k - e.uploaded);
                    valueData.ensure(valueData.size + k - e.uploaded);
                    br.copyValues(e.uploaded, k, valueData.a, valueData.size);
                    valueData.size += k - e.uploaded;
                    e.uploaded = k;
                }
                valueBase = e.offset;
            }
            int o = 4 * (j - lo);
            queries[o] = pos;
            queries[o + 1] = k;
            queries[o + 2] = valueBase;
            queries[o + 3] = orderBase;
            if (sums) summaries[j - lo] = br.summary(k);
        }
        count = c;
        return true;
    }

    /** Lays out the compact outputs of queries [lo, hi): q doubles for a row query, one for a scored query. */
    void packOutputs(ConditionalBatch batch, int lo, int hi, int q) {
        int c = hi - lo;
        if (outputMeta.length < 2 * c) outputMeta = new int[Math.max(2 * c, 2 * outputMeta.length)];
        long off = 0;
        for (int j = lo; j < hi; j++) {
            int x = batch.scoredValue(j);
            outputMeta[2 * (j - lo)] = x;
            outputMeta[2 * (j - lo) + 1] = (int) off; // at most c q, the size of the batch's own out array
            off += x >= 0 ? 1 : q;
        }
        outputDoubles = off;
    }

    /** Arena room (ints) queries [lo, hi) need from empty arenas: {values, orders}. */
    static long[] need(ArModel model, ConditionalBatch batch, int lo, int hi) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        long v = 0, o = 0;
        boolean vals = model.usesValues();
        for (int j = lo; j < hi; j++) {
            Branch br = batch.context(j);
            Order order = br.order();
            if (model.orderInts(order) > 0 && seen.put(order, Boolean.TRUE) == null) o += model.orderInts(order);
            if (vals && batch.pinned(j) > 0 && seen.put(br.storageIdentity(), Boolean.TRUE) == null) v += br.storageCapacity();
        }
        return new long[] {v, o};
    }
}
