package io.autospec.cuda;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.Order;
import java.util.IdentityHashMap;

/**
 * Packs queries [lo, hi) of a conditional batch for the device (kernels/ar_kernels.cuh). The engine
 * adds its queries in requests (steps [a, a + count) of one branch, see {@link ConditionalBatch#addRequest}):
 * those are packed as one record per request, clipped to the range, that {@code as_ar_expand} turns
 * into the 4-int query records of the shared layout on the device ({@link #RECORD_INTS} ints: first
 * query, first step, k (or the branch length a chain's k stops at), value base, order base, sigma
 * base, flags, output offset). A range of lone queries only ({@link ConditionalBatch#add}) is packed
 * directly as query records, 4 ints per query (position, k, value base, order base). Besides them:
 * the prefix summaries, one per query (Curie-Weiss, parity: k changes along a chain, so they stay
 * host-packed), and the patches that bring the model's arenas up to date: orders not yet on the device
 * (the model's own record, then sigma), and for each branch family only the values [uploaded, largest
 * step read) not yet there. Pure host code (tested without a GPU).
 */
final class ArPacker {
    /** Ints per request record (AS_REQ_INTS). */
    static final int RECORD_INTS = 8;
    /** Record flags (AS_REQ_*): the batch's request flags, a lone query's scored value + 1 above them. */
    static final int CHAIN = ConditionalBatch.REQUEST_CHAIN, SCORED = ConditionalBatch.REQUEST_SCORED,
            SINGLE = ConditionalBatch.REQUEST_SINGLE, SCORED_SHIFT = 8;

    int count;
    /** Whether the range was packed as query records ({@link #queries}) rather than request records. */
    boolean direct;
    /** Direct: 4 ints per query. */
    int[] queries = new int[1024];
    /** Request records packed, and their ints ({@link #RECORD_INTS} each). */
    int records;
    int[] recordInts = new int[1024];
    long[] summaries = new long[256];
    /** Patches as (dst offset, src offset, length) into the arena, data in {@code valueData}/{@code orderData}. */
    final IntList valuePatches = new IntList(), valueData = new IntList();
    final IntList orderPatches = new IntList(), orderData = new IntList();
    /**
     * For a validated launch (kernels/validate_kernels.cuh), 2 ints per query (uploaded only with direct
     * records; else the device writes its own copy from the request records): the scored value (-1:
     * the whole row) and the query's offset in the compact outputs, in doubles; {@code outputDoubles} in all.
     */
    int[] outputMeta = new int[512];
    long outputDoubles;

    void clear() {
        count = 0;
        records = 0;
        outputDoubles = 0;
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
        boolean sums = model.usesSummaries();
        if (sums && summaries.length < c) summaries = new long[Math.max(c, 2 * summaries.length)];
        boolean vals = model.usesValues();
        int q = model.q, r0 = batch.requestOf(lo);
        direct = true;
        for (int i = r0; i < batch.requests() && batch.requestFirst(i) < hi && direct; i++) direct = (batch.requestFlags(i) & SINGLE) != 0;
        if (direct && queries.length < 4 * c) queries = new int[Math.max(4 * c, 2 * queries.length)];
        long out = 0;
        for (int i = r0; i < batch.requests() && batch.requestFirst(i) < hi; i++) {
            int first = batch.requestFirst(i), from = Math.max(first, lo), to = Math.min(first + batch.requestCount(i), hi);
            int flags = batch.requestFlags(i);
            boolean single = (flags & SINGLE) != 0;
            Branch br = batch.context(from);
            Order order = br.order();
            if (order.length() != model.n) throw ArModel.badQuery(batch, from, "its order has " + order.length() + " positions, the oracle " + model.n);
            int known = br.length(), step, kArg, kMax, read;
            if (single) {
                step = batch.position(from);
                kArg = kMax = batch.pinned(from);
                if (step < 0 || step >= model.n) throw ArModel.badQuery(batch, from, "position outside [0, " + model.n + ")");
                flags |= (batch.scoredValue(from) + 1) << SCORED_SHIFT;
                read = vals ? kMax : 0;
            } else {
                step = batch.requestStep(i) + (from - first);
                boolean chain = (flags & CHAIN) != 0;
                kArg = chain ? known : batch.requestStep(i);
                kMax = chain ? Math.min(step + (to - from) - 1, known) : kArg;
                read = Math.max(vals ? kMax : 0, (flags & SCORED) != 0 ? step + (to - from) : 0);
            }
            if (kMax < 0 || kMax > known || kMax > model.maxPinned()) throw badK(model, batch, from, to);
            int orderBase = 0;
            if (!single || model.orderInts(order) > 0) { // sigma is read by a request's expansion only
                orderBase = orderEntry(model, order);
                if (orderBase < 0) return false;
            }
            int valueBase = 0;
            if (read > 0) {
                valueBase = valueEntry(model, br, read);
                if (valueBase < 0) return false;
            }
            if (direct) {
                int o = 4 * (from - lo);
                queries[o] = step;
                queries[o + 1] = kArg;
                queries[o + 2] = valueBase;
                queries[o + 3] = orderBase;
            } else {
                if (recordInts.length < RECORD_INTS * (records + 1)) recordInts = java.util.Arrays.copyOf(recordInts, 2 * recordInts.length);
                int o = RECORD_INTS * records++;
                recordInts[o] = from - lo;
                recordInts[o + 1] = step;
                recordInts[o + 2] = kArg;
                recordInts[o + 3] = valueBase;
                recordInts[o + 4] = orderBase;
                recordInts[o + 5] = orderBase + model.orderInts(order);
                recordInts[o + 6] = flags;
                recordInts[o + 7] = (int) out; // at most c q, the size of the batch's own out array
            }
            boolean rows = single ? batch.scoredValue(from) < 0 : (flags & SCORED) == 0;
            out += (long) (to - from) * (rows ? q : 1);
            if (sums) for (int j = from; j < to; j++) summaries[j - lo] = br.summary(batch.pinned(j));
        }
        outputDoubles = out;
        count = c;
        return true;
    }

    /** The error for the first query of [from, to) whose k the device cannot evaluate. */
    private static IllegalArgumentException badK(ArModel model, ConditionalBatch batch, int from, int to) {
        for (int j = from; j < to; j++) {
            int k = batch.pinned(j), known = batch.context(j).length();
            if (k < 0 || k > known || k > model.maxPinned()) {
                return ArModel.badQuery(batch, j, "k = " + k + " outside [0, " + Math.min(known, model.maxPinned()) + "]");
            }
        }
        throw new IllegalStateException("no query of [" + from + ", " + to + ") has a bad k");
    }

    /** The order's arena entry (the model's record, then sigma), added and patched if new; -1 when the arena is full. */
    private int orderEntry(ArModel model, Order order) {
        IntArena.Entry e = model.orders.get(order);
        if (e != null) return e.offset;
        int own = model.orderInts(order), ints = own + model.n;
        e = model.orders.add(order, ints);
        if (e == null) return -1;
        int at = orderData.size;
        model.writeOrder(order, orderData);
        if (orderData.size - at != own) throw new IllegalStateException("order record of " + (orderData.size - at) + " ints, expected " + own);
        orderData.ensure(at + ints);
        for (int r = 0; r < model.n; r++) orderData.a[at + own + r] = order.position(r);
        orderData.size = at + ints;
        e.uploaded = ints;
        orderPatches.add(e.offset);
        orderPatches.add(at);
        orderPatches.add(ints);
        return e.offset;
    }

    /** The branch storage's arena entry with its values [0, read) on the device (patched if not yet); -1 when the arena is full. */
    private int valueEntry(ArModel model, Branch br, int read) {
        Object storage = br.storageIdentity();
        IntArena.Entry e = model.values.get(storage);
        if (e == null) {
            e = model.values.add(storage, br.storageCapacity());
            if (e == null) return -1;
        }
        if (e.uploaded < read) {
            valuePatches.add(e.offset + e.uploaded);
            valuePatches.add(valueData.size);
            valuePatches.add(read - e.uploaded);
            valueData.ensure(valueData.size + read - e.uploaded);
            br.copyValues(e.uploaded, read, valueData.a, valueData.size);
            valueData.size += read - e.uploaded;
            e.uploaded = read;
        }
        return e.offset;
    }

    /** The host's copy of the compact outputs' layout of queries [lo, hi): q doubles for a row query, one for a scored query. */
    void packOutputs(ConditionalBatch batch, int lo, int hi, int q) {
        int c = hi - lo;
        if (outputMeta.length < 2 * c) outputMeta = new int[Math.max(2 * c, 2 * outputMeta.length)];
        int off = 0;
        for (int j = lo; j < hi; j++) {
            int x = batch.scoredValue(j);
            outputMeta[2 * (j - lo)] = x;
            outputMeta[2 * (j - lo) + 1] = off;
            off += x >= 0 ? 1 : q;
        }
    }

    /** Arena room (ints) queries [lo, hi) need from empty arenas: {values, orders}. */
    static long[] need(ArModel model, ConditionalBatch batch, int lo, int hi) {
        IdentityHashMap<Object, Boolean> seen = new IdentityHashMap<>();
        long v = 0, o = 0;
        boolean vals = model.usesValues();
        for (int i = batch.requestOf(lo); i < batch.requests() && batch.requestFirst(i) < hi; i++) {
            int from = Math.max(batch.requestFirst(i), lo);
            Branch br = batch.context(from);
            Order order = br.order();
            boolean single = (batch.requestFlags(i) & SINGLE) != 0;
            if ((!single || model.orderInts(order) > 0) && seen.put(order, Boolean.TRUE) == null) o += model.n + model.orderInts(order);
            boolean scored = (batch.requestFlags(i) & (SCORED | SINGLE)) == SCORED;
            boolean reads = scored || (vals && Math.max(batch.pinned(from), batch.pinned(Math.min(batch.requestFirst(i) + batch.requestCount(i), hi) - 1)) > 0);
            if (reads && seen.put(br.storageIdentity(), Boolean.TRUE) == null) v += br.storageCapacity();
        }
        return new long[] {v, o};
    }
}
