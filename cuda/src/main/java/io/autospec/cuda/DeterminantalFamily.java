package io.autospec.cuda;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.models.det.DeterminantalOracle;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

/**
 * Device family: determinantal processes ({@link DeterminantalOracle}: the {@code dpp:}, {@code ust:}
 * and {@code aztec:} models), evaluated on the device with the CPU oracle's arithmetic in the CPU
 * oracle's order (kernels/det_kernels.cuh), so samples, rounds and queries are those of the CPU
 * backend bit for bit.
 *
 * <p><b>Split of the work.</b> The host keeps the bookkeeping: per sample a prefix trie like the CPU
 * oracle's (one node per distinct prefix of pinned values), each node naming where its factor row
 * lives in a device row arena and where its path (the slots of rows 0..d-1) lives in a device int
 * arena. The device holds K (uploaded once per oracle, freed when the model closes), the rows, the
 * paths and each sample's order. One launch: (1) one {@code as_det_row} kernel per level of new rows
 * (a new row whose parent is also new waits for it: level = 1 + the parent's level), items (row,
 * entry) doing the O(k) inner sum of one factor entry each (for a non-symmetric K a second launch
 * per level builds the column of L, which needs the row's pivot); (2) one {@code as_det_query} kernel over
 * the queries (O(k) each); (3) one download of the new rows' statuses and computed pivots and the
 * queries' probabilities, then the host applies the CPU oracle's round-off rule (same tolerance,
 * same error naming the query or the step). A row whose value turns out impossible is marked by the
 * kernel itself, and rows planned below it are marked as never built, so no synchronisation is
 * needed between levels.
 *
 * <p><b>Memory.</b> Both arenas are bump-allocated; when a launch does not fit, every trie is
 * forgotten (rows are deterministic functions of their prefix, so rebuilding them gives the same
 * bits) and the launch is planned again from empty arenas, which grow (geometrically) only when a
 * single launch needs more; a launch that cannot fit even then is split by the backend. A K larger
 * than the device budget fails on the first query with a {@link DeviceOutOfMemoryException} naming
 * it.
 */
public final class DeterminantalFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public DeterminantalFamily() {}

    @Override
    public ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        // Exactly the class: a subclass may answer differently.
        return oracle != null && oracle.getClass() == DeterminantalOracle.class ? new Model((DeterminantalOracle) oracle, heap) : null;
    }

    /** Doubles per row slot (rows start at slot boundaries; ints address rows by slot). */
    static final int SLOT = 8;

    /** A trie node: the prefix of its depth d; for d &ge; 1 the slot of factor row d-1. */
    static final class Node {
        final Node parent;
        final int depth;
        int slot = -1;
        int pathOffset;
        /** -1 planned in this launch, else the kernel's status (0 row, 1 impossible, 2 below one, 3 no row). */
        int status = -1;
        int level;
        /** The value this node pins at step depth-1. */
        int value;
        /** The smallest |pivot| of rows 0..depth-1, as in the CPU oracle (1 at the root). */
        double minPivot = 1;
        final Node[] children = new Node[2];

        Node(Node parent, int depth) {
            this.parent = parent;
            this.depth = depth;
        }

        boolean impossible() {
            return status == 1 || status == 2;
        }
    }

    /** One sample's trie and where its order's positions are on the device. */
    static final class Trie {
        final Node root = new Node(null, 0);
        final int orderOffset;

        Trie(int orderOffset) {
            this.orderOffset = orderOffset;
            root.status = 0;
        }
    }

    static final class Model extends ArModel {
        private final DeterminantalOracle det;
        private final boolean symmetric;
        private DeviceMemory kernel;
        private final DeviceBuffer rows, ints;
        /** Tries by the sample's order attachment (the CPU trie: one per sample), weakly. */
        private final Map<Object, Trie> tries = new WeakHashMap<>();
        private long rowsUsed, intsUsed; // slots, ints
        private long arenaResets;

        // One launch's plan.
        private final List<Node> created = new ArrayList<>();
        private final List<Order> createdOrder = new ArrayList<>();
        private final IntList createdBy = new IntList();  // query index that created each new row
        private final IntList nodeRecords = new IntList();
        private final IntList queryRecords = new IntList();
        private final IntList queryIndex = new IntList();
        private final List<Node> queryLeaf = new ArrayList<>();
        private final IntList orderPatches = new IntList(), orderData = new IntList();
        // The walk of the branch last planned (as in the CPU oracle).
        private Branch walkBranch;
        private int walkDepth;
        private Node[] walkPath;
        private int[] walkValues;

        Model(DeterminantalOracle det, DeviceHeap heap) {
            super(det, heap);
            this.det = det;
            this.symmetric = det.symmetric();
            this.rows = new DeviceBuffer(heap, "row arena of " + det.describe());
            this.ints = new DeviceBuffer(heap, "path arena of " + det.describe());
        }

        @Override
        void upload(Uploader up) {
            long entries = (long) n * n;
            if (entries > Integer.MAX_VALUE - 16) {
                throw new DeviceOutOfMemoryException("determinantal kernel K of " + det.describe() + " (" + n + " x " + n
                        + ") does not fit one staging buffer");
            }
            double[] k = new double[(int) entries];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) k[i * n + j] = det.kernel(i, j);
            kernel = keep(up.doubles(k, "determinantal kernel K (" + n + " x " + n + ") of " + det.describe()));
        }

        @Override
        String kernel() {
            return Kernels.DET_QUERY;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            throw new UnsupportedOperationException(describe() + " runs its own launches");
        }

        @Override
        long bytesPerQuery() {
            return 16 + 16 + 16 + 8L * n * (symmetric ? 1 : 2); // records, outputs, about one new row
        }

        /** Forgets every trie (the arenas' contents become garbage). */
        private void reset() {
            if (rowsUsed > 0 || intsUsed > 0) arenaResets++;
            tries.clear();
            rowsUsed = 0;
            intsUsed = 0;
            walkBranch = null;
            if (walkPath != null) Arrays.fill(walkPath, null);
        }

        @Override
        void dropCaches() {
            super.dropCaches();
            reset();
            rows.release();
            ints.release();
        }

        @Override
        public void close() {
            reset();
            rows.release();
            ints.release();
            super.close();
        }

        @Override
        long resets() {
            return super.resets() + arenaResets;
        }

        @Override
        boolean residentRounds() {
            return false; // its launch keeps a factor per sample, outside the shared layout
        }

        @Override
        void launch(CudaBackend.Ctx ctx, ConditionalBatch batch, int lo, int hi, boolean validate) {
            // Rows come back whole (some are answered on the host): the batch validates them.
            try {
                if (!plan(batch, lo, hi)) {
                    // What the live tries plus this launch would take: the arenas' contents are lost
                    // anyway, so this is the moment to grow them ahead (fewer resets later).
                    long liveRows = 8L * SLOT * rowsUsed, liveInts = 4L * intsUsed;
                    reset();
                    growAhead(rows, liveRows);
                    growAhead(ints, liveInts);
                    if (!plan(batch, lo, hi)) {
                        // Even empty arenas are too small: grow them to this launch's need, then plan again.
                        long rowBytes = 8L * SLOT * rowsUsed, intBytes = 4L * intsUsed;
                        reset();
                        rows.ensure(Math.max(rowBytes, 8));
                        ints.ensure(Math.max(intBytes, 8));
                        if (!plan(batch, lo, hi)) throw new IllegalStateException("arenas sized for the launch are still full");
                    }
                }
                run(ctx, batch, lo, hi);
            } catch (RuntimeException e) {
                // Planned rows may not be on the device: forget every trie.
                reset();
                throw e;
            }
        }

        /**
         * Grows an (empty) arena geometrically towards {@code wanted} bytes while that takes at most
         * half of the device memory still free under the budget; otherwise leaves it as it is.
         */
        private void growAhead(DeviceBuffer arena, long wanted) {
            long cap = arena.capacity();
            if (wanted <= cap) return;
            long target = Growth.roundUp(Math.max(wanted, 2 * cap));
            if (target > heap().available(cap) / 2) return;
            try {
                arena.ensure(target);
            } catch (DeviceOutOfMemoryException e) {
                // the device itself is fuller than the budget says: plan within what there is
            }
        }

        /**
         * Walks every query's prefix in its sample's trie, creating the nodes (and planning the rows)
         * that do not exist yet; answers pinned positions and known-impossible prefixes on the host.
         * False when the plan does not fit the arenas as they are.
         */
        private boolean plan(ConditionalBatch batch, int lo, int hi) {
            created.clear();
            createdOrder.clear();
            createdBy.clear();
            nodeRecords.clear();
            queryRecords.clear();
            queryIndex.clear();
            queryLeaf.clear();
            orderPatches.clear();
            orderData.clear();
            walkBranch = null;
            if (walkPath == null) {
                walkPath = new Node[n + 1];
                walkValues = new int[n];
            }
            double[] out = batch.out();
            for (int j = lo; j < hi; j++) {
                Branch br = batch.context(j);
                int k = batch.pinned(j), pos = batch.position(j);
                Order order = br.order();
                if (pos < 0 || pos >= n) throw badQuery(batch, j, "position outside [0, " + n + ")");
                if (k < 0 || k > br.length()) throw badQuery(batch, j, "k = " + k + " outside [0, " + br.length() + "]");
                if (order.length() != n) throw badQuery(batch, j, "its order has " + order.length() + " positions, the oracle " + n);
                int rank = order.rank(pos);
                if (rank < k) { // already pinned: its own value
                    int v = br.valueAtRank(rank);
                    out[2 * j] = 1 - v;
                    out[2 * j + 1] = v;
                    continue;
                }
                if (br != walkBranch || k < walkDepth) {
                    walkBranch = br;
                    walkDepth = 0;
                    walkPath[0] = trie(order).root;
                }
                boolean impossible;
                if (k > walkDepth) {
                    br.copyValues(walkDepth, k, walkValues, walkDepth);
                    impossible = !descend(order, k, j);
                } else {
                    impossible = walkPath[walkDepth].impossible();
                }
                if (impossible) {
                    out[2 * j] = 0;
                    out[2 * j + 1] = 0;
                    continue;
                }
                Node leaf = walkPath[k];
                queryRecords.add(leaf.pathOffset);
                queryRecords.add(k);
                queryRecords.add(pos);
                queryRecords.add(rank);
                queryIndex.add(j);
                queryLeaf.add(leaf);
            }
            walkBranch = null;
            Arrays.fill(walkPath, null);
            return rowsUsed * SLOT * 8 <= rows.capacity() && intsUsed * 4 <= ints.capacity();
        }

        private Trie trie(Order order) {
            Object key = order.attachment() != null ? order.attachment() : order;
            Trie t = tries.get(key);
            if (t == null) {
                t = new Trie(allocateInts(n));
                tries.put(key, t);
                orderPatches.add(t.orderOffset);
                orderPatches.add(orderData.size);
                orderPatches.add(n);
                orderData.ensure(orderData.size + n);
                for (int r = 0; r < n; r++) orderData.a[orderData.size + r] = order.position(r);
                orderData.size += n;
            }
            return t;
        }

        private int allocateInts(int count) {
            long at = intsUsed;
            intsUsed += count;
            if (intsUsed > Integer.MAX_VALUE) {
                throw new DeviceOutOfMemoryException("path arena of " + det.describe() + ": more than 2^31 ints in one launch");
            }
            return (int) at;
        }

        /** Walks (planning rows) to depth k; false if the prefix is known to be impossible. */
        private boolean descend(Order order, int k, int query) {
            Node node = walkPath[walkDepth];
            Trie trie = null;
            while (walkDepth < k) {
                if (node.impossible()) return false;
                int v = walkValues[walkDepth];
                Node c = node.children[v];
                if (c == null) {
                    if (trie == null) trie = trie(order);
                    c = newNode(node, order, trie, v, query);
                    node.children[v] = c;
                }
                node = c;
                walkPath[++walkDepth] = node;
            }
            return !node.impossible();
        }

        /** Plans row r = parent.depth with value v: a row slot, a path, and its record. */
        private Node newNode(Node parent, Order order, Trie trie, int v, int query) {
            int r = parent.depth;
            Node c = new Node(parent, r + 1);
            c.value = v;
            long doubles = 2 + (long) (n - r) * (symmetric ? 1 : 2);
            long slots = (doubles + SLOT - 1) / SLOT;
            if (rowsUsed + slots > Integer.MAX_VALUE) {
                throw new DeviceOutOfMemoryException("row arena of " + det.describe() + ": more than 2^31 row slots in one launch");
            }
            c.slot = (int) rowsUsed;
            rowsUsed += slots;
            c.pathOffset = allocateInts(r + 1);
            c.level = parent.status == -1 ? parent.level + 1 : 0;
            created.add(c);
            createdOrder.add(order);
            createdBy.add(query);
            int rep = created.size() - 1;
            nodeRecords.ensure(AS_NODE_INTS * created.size());
            int o = AS_NODE_INTS * rep;
            int[] a = nodeRecords.a;
            a[o] = c.slot;
            a[o + 1] = parent.depth == 0 ? -1 : parent.slot;
            a[o + 2] = parent.pathOffset;
            a[o + 3] = c.pathOffset;
            a[o + 4] = r;
            a[o + 5] = v;
            a[o + 6] = trie.orderOffset;
            a[o + 7] = rep;
            nodeRecords.size = AS_NODE_INTS * created.size();
            return c;
        }

        static final int AS_NODE_INTS = 8;  // kernels/det_kernels.cuh AS_DET_NODE_INTS
        static final int AS_QUERY_INTS = 4; // AS_DET_QUERY_INTS

        /** Uploads the plan, runs the row levels and the queries, and applies the round-off rule. */
        private void run(CudaBackend.Ctx ctx, ConditionalBatch batch, int lo, int hi) {
            int m = created.size(), cq = queryIndex.size;
            if (m == 0 && cq == 0) return; // everything was answered on the host
            // Rows ordered by level (creation order within a level).
            int levels = 0;
            for (Node c : created) levels = Math.max(levels, c.level + 1);
            int[] start = new int[levels + 1];
            for (Node c : created) start[c.level + 1]++;
            for (int l = 0; l < levels; l++) start[l + 1] += start[l];
            int[] fill = Arrays.copyOf(start, levels);
            int[] sorted = new int[AS_NODE_INTS * m];
            for (int i = 0; i < m; i++) {
                int at = fill[created.get(i).level]++;
                System.arraycopy(nodeRecords.a, AS_NODE_INTS * i, sorted, AS_NODE_INTS * at, AS_NODE_INTS);
            }
            int patches = orderPatches.size / 3;
            long patchOff = 0;
            long dataOff = Growth.align(4L * orderPatches.size);
            long nodesOff = Growth.align(dataOff + 4L * orderData.size);
            long queriesOff = Growth.align(nodesOff + 4L * sorted.length);
            long uploadBytes = queriesOff + 4L * queryRecords.size;
            long outOff = 16L * m;
            long downloadBytes = outOff + 16L * cq;

            DeviceMemory up = ctx.upload.ensure(uploadBytes);
            DeviceMemory work = ctx.work.ensure(downloadBytes);
            DeviceMemory rowMem = rows.memory(), intMem = ints.memory();
            HostBuffer st = ctx.staging(Math.max(uploadBytes, downloadBytes));
            ByteBuffer bb = st.buffer;
            bb.position((int) patchOff);
            bb.asIntBuffer().put(orderPatches.a, 0, orderPatches.size);
            bb.position((int) dataOff);
            bb.asIntBuffer().put(orderData.a, 0, orderData.size);
            bb.position((int) nodesOff);
            bb.asIntBuffer().put(sorted, 0, sorted.length);
            bb.position((int) queriesOff);
            bb.asIntBuffer().put(queryRecords.a, 0, queryRecords.size);
            ctx.device.upload(up, 0, st, 0, uploadBytes);
            if (patches > 0) {
                ctx.kernel(Kernels.SCATTER_INTS, patches, ctx.args.begin(Kernels.SCATTER_INTS, Kernels.SCATTER_INTS_ARGS)
                        .i64(patches).ptr(intMem, 0).ptr(up, dataOff).ptr(up, patchOff).end());
            }
            for (int l = 0; l < levels; l++) {
                long items = (long) (start[l + 1] - start[l]) * n;
                // Phase 0: paths, statuses, pivots and u; phase 1 (non-symmetric K): l, which needs the pivot.
                for (int phase = 0; phase < (symmetric ? 1 : 2); phase++) {
                    ctx.kernel(Kernels.DET_ROW, items, ctx.args.begin(Kernels.DET_ROW, Kernels.DET_ROW_ARGS)
                            .i64(items).ptr(up, nodesOff + 4L * AS_NODE_INTS * start[l]).ptr(kernel, 0).ptr(rowMem, 0)
                            .ptr(intMem, 0).ptr(work, 0).f64(det.tolerance()).i32(n).i32(symmetric ? 1 : 0)
                            .i32(det.ignoresExclusions() ? 1 : 0).i32(phase).end());
                }
            }
            if (cq > 0) {
                ctx.kernel(Kernels.DET_QUERY, cq, ctx.args.begin(Kernels.DET_QUERY, Kernels.DET_QUERY_ARGS)
                        .i64(cq).ptr(up, queriesOff).ptr(kernel, 0).ptr(rowMem, 0).ptr(intMem, 0).ptr(work, outOff)
                        .i32(n).i32(symmetric ? 1 : 0).end());
            }
            ctx.download(st, 0, work, 0, downloadBytes);
            ctx.device.synchronize();
            double[] res = new double[2 * (m + cq)];
            bb.position(0);
            bb.asDoubleBuffer().get(res, 0, res.length);

            // The CPU oracle's round-off rule, in query order: first the rows a query built, then its answer.
            double[] out = batch.out();
            int ni = 0, qi = 0;
            for (int j = lo; j < hi; j++) {
                while (ni < m && createdBy.a[ni] == j) {
                    Node c = created.get(ni);
                    int status = (int) res[2 * ni];
                    double p = res[2 * ni + 1];
                    if (c.parent.impossible()) {
                        status = 2; // below a prefix the host found numerically impossible (this launch)
                    } else if (status != 2 && !det.withinRoundOff(p, c.parent.minPivot)) {
                        if (!det.fragile(c.parent.minPivot)) {
                            Order order = createdOrder.get(ni);
                            int r = c.depth - 1;
                            throw det.notAProbability(p, "step " + r + " (item " + order.position(r) + ") of sample " + order.sample());
                        }
                        status = 1; // numerically impossible, as the CPU oracle decides
                    }
                    c.status = status;
                    c.minPivot = status == 0 ? Math.min(c.parent.minPivot, Math.abs(c.value == 1 ? p : p - 1))
                            : status == 3 ? c.parent.minPivot : 0;
                    ni++;
                }
                if (qi < cq && queryIndex.a[qi] == j) {
                    int o = 2 * (m + qi);
                    Node leaf = queryLeaf.get(qi);
                    if (res[o] != 0 || leaf.impossible()) {
                        out[2 * j] = 0;
                        out[2 * j + 1] = 0;
                    } else {
                        double p = res[o + 1];
                        if (!det.withinRoundOff(p, leaf.minPivot)) {
                            if (!det.fragile(leaf.minPivot)) throw det.notAProbability(p, batch.describe(j));
                            out[2 * j] = 0; // numerically impossible, as the CPU oracle decides
                            out[2 * j + 1] = 0;
                            qi++;
                            continue;
                        }
                        p = det.clampAndSnap(p);
                        out[2 * j] = 1 - p;
                        out[2 * j + 1] = p;
                    }
                    qi++;
                }
            }
            created.clear();
            createdOrder.clear();
            queryLeaf.clear();
        }
    }
}
