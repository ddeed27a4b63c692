package io.autospec.cuda;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.ar.models.TableOracle;
import java.nio.ByteBuffer;

/**
 * The device side of one AR oracle: its parameters uploaded once, its two arenas (orders and
 * branch values, see {@link IntArena}), what its kernel reads per query, and its argument struct.
 * {@link #create} knows the zoo; other oracles have no device implementation.
 */
abstract class ArModel implements AutoCloseable {
    /** Device addresses of one launch's inputs and outputs. */
    record Launch(long count, DeviceMemory upload, long queriesOffset, long summariesOffset,
                  DeviceMemory work, long outOffset, long scratchOffset) {}

    /** Uploads a parameter array once (the model owns the returned memory). */
    interface Uploader {
        DeviceMemory doubles(double[] data, String what);

        DeviceMemory ints(int[] data, String what);

        DeviceMemory longs(long[] data, String what);
    }

    final ConditionalOracle oracle;
    final int n, q;
    final IntArena<Order> orders;
    final IntArena<Object> values;
    private final DeviceHeap heap;
    private final java.util.List<DeviceMemory> params = new java.util.ArrayList<>();

    ArModel(ConditionalOracle oracle, DeviceHeap heap) {
        this.oracle = oracle;
        this.n = oracle.length();
        this.q = oracle.alphabet();
        this.heap = heap;
        this.orders = new IntArena<>(heap, "order arena of " + oracle.describe());
        this.values = new IntArena<>(heap, "value arena of " + oracle.describe());
    }

    /** The device model of a zoo oracle, or null when the oracle has no device implementation. */
    static ArModel create(ConditionalOracle oracle, DeviceHeap heap, Uploader up) {
        ArModel m;
        if (oracle instanceof ProductOracle p) m = new Product(p, heap);
        else if (oracle instanceof MarkovChain c && !c.closedForm()) m = new Markov(c, heap);
        else if (oracle instanceof CurieWeiss c) m = new CurieWeissModel(c, heap);
        else if (oracle instanceof ParityOracle p) m = new Parity(p, heap);
        else if (oracle instanceof TableOracle t) m = new Table(t, heap);
        else return null;
        try {
            m.upload(up);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** Keeps a parameter allocation for {@link #close}. */
    final DeviceMemory keep(DeviceMemory m) {
        if (m != null) params.add(m);
        return m;
    }

    abstract void upload(Uploader up);

    abstract String kernel();

    /** Ints of per-order data the kernel reads (0: none). */
    int orderInts(Order order) {
        return 0;
    }

    /** Appends the order's record to {@code dst} ({@link #orderInts} ints). */
    void writeOrder(Order order, IntList dst) {}

    /** Whether the kernel reads the branch's pinned values. */
    boolean usesValues() {
        return false;
    }

    /** Whether the kernel reads the branch's prefix summary after k steps. */
    boolean usesSummaries() {
        return false;
    }

    /** Doubles of device scratch per query. */
    int scratchDoubles() {
        return 0;
    }

    /** The largest k a query may have (smaller than n where the kernel needs a free position). */
    int maxPinned() {
        return n;
    }

    /** The kernel's argument struct for one launch. */
    abstract ByteBuffer args(KernelArgs w, Launch l);

    String describe() {
        return oracle.describe();
    }

    @Override
    public void close() {
        orders.release();
        values.release();
        for (DeviceMemory m : params) heap.free(m);
        params.clear();
    }

    // -------------------------------------------------------------------------------------------

    static final class Product extends ArModel {
        private final ProductOracle p;
        private DeviceMemory marginals;

        Product(ProductOracle p, DeviceHeap heap) {
            super(p, heap);
            this.p = p;
        }

        @Override
        void upload(Uploader up) {
            double[] m = new double[n * q];
            for (int i = 0; i < n; i++) for (int v = 0; v < q; v++) m[i * q + v] = p.marginal(i, v);
            marginals = keep(up.doubles(m, "product marginals"));
        }

        @Override
        String kernel() {
            return Kernels.PRODUCT;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.PRODUCT_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(marginals, 0).ptr(l.work(), l.outOffset()).i32(q).i32(0).end();
        }
    }

    static final class Markov extends ArModel {
        private final MarkovChain chain;
        private final int leaves;
        private DeviceMemory initialAt, powers, squares;
        private int levels;

        Markov(MarkovChain chain, DeviceHeap heap) {
            super(chain, heap);
            this.chain = chain;
            int size = 1;
            while (size < n) size <<= 1;
            this.leaves = size;
        }

        @Override
        void upload(Uploader up) {
            initialAt = keep(up.doubles(chain.initialLaws(), "markov initial laws"));
            double[] table = chain.powerTable();
            if (table != null) {
                powers = keep(up.doubles(table, "markov power table"));
            } else {
                double[] sq = chain.squarePowers();
                levels = sq.length / (q * q);
                squares = keep(up.doubles(sq, "markov squares"));
            }
        }

        @Override
        String kernel() {
            return Kernels.MARKOV;
        }

        @Override
        int orderInts(Order order) {
            return 2 * leaves;
        }

        @Override
        void writeOrder(Order order, IntList dst) {
            if (order.leaves() != leaves) throw new IllegalStateException("order of " + order.length() + " positions for a chain of " + n);
            int[] tree = order.minTree();
            dst.add(tree, 0, tree.length);
        }

        @Override
        boolean usesValues() {
            return true;
        }

        @Override
        int scratchDoubles() {
            return powers == null ? 3 * q : 0;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.MARKOV_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(values.memory(), 0).ptr(orders.memory(), 0).ptr(initialAt, 0).ptr(powers, 0).ptr(squares, 0)
                    .ptr(powers == null ? l.work() : null, l.scratchOffset()).ptr(l.work(), l.outOffset())
                    .i32(n).i32(q).i32(leaves).i32(levels).end();
        }
    }

    static final class CurieWeissModel extends ArModel {
        private final CurieWeiss cw;
        private DeviceMemory logFactorial, logConcave;

        CurieWeissModel(CurieWeiss cw, DeviceHeap heap) {
            super(cw, heap);
            this.cw = cw;
        }

        @Override
        void upload(Uploader up) {
            logFactorial = keep(up.doubles(cw.logFactorials(), "curie-weiss log factorials"));
            int[] concave = new int[n];
            for (int u = 0; u < n; u++) concave[u] = cw.logConcave(u) ? 1 : 0;
            logConcave = keep(up.ints(concave, "curie-weiss log-concavity"));
        }

        @Override
        String kernel() {
            return Kernels.CURIE_WEISS;
        }

        @Override
        boolean usesSummaries() {
            return true;
        }

        @Override
        int maxPinned() {
            return n - 1; // the queried position is free
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.CURIE_WEISS_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(l.upload(), l.summariesOffset()).ptr(logFactorial, 0).ptr(logConcave, 0).ptr(l.work(), l.outOffset())
                    .f64(cw.beta()).f64(cw.field()).f64(CurieWeiss.CUTOFF).i32(n).i32(0).end();
        }
    }

    static final class Parity extends ArModel {
        private final ParityOracle parity;
        private DeviceMemory columns;

        Parity(ParityOracle parity, DeviceHeap heap) {
            super(parity, heap);
            this.parity = parity;
        }

        @Override
        void upload(Uploader up) {
            columns = keep(up.longs(parity.columns(), "parity columns"));
        }

        @Override
        String kernel() {
            return Kernels.PARITY;
        }

        @Override
        int orderInts(Order order) {
            return n + 1;
        }

        @Override
        void writeOrder(Order order, IntList dst) {
            for (int r = 0; r < n; r++) dst.add(order.position(r));
            dst.add(parity.threshold(order));
        }

        @Override
        boolean usesSummaries() {
            return true;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.PARITY_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(l.upload(), l.summariesOffset()).ptr(orders.memory(), 0).ptr(columns, 0).ptr(l.work(), l.outOffset())
                    .i64(parity.target()).i32(n).i32(0).end();
        }
    }

    static final class Table extends ArModel {
        private final TableOracle table;
        private DeviceMemory rows, weights;
        private int m;

        Table(TableOracle table, DeviceHeap heap) {
            super(table, heap);
            this.table = table;
        }

        @Override
        void upload(Uploader up) {
            double[] w = table.weights();
            m = w.length;
            rows = keep(up.ints(table.assignments(), "table assignments"));
            weights = keep(up.doubles(w, "table weights"));
        }

        @Override
        String kernel() {
            return Kernels.TABLE;
        }

        @Override
        int orderInts(Order order) {
            return n;
        }

        @Override
        void writeOrder(Order order, IntList dst) {
            for (int pos = 0; pos < n; pos++) dst.add(order.rank(pos));
        }

        @Override
        boolean usesValues() {
            return true;
        }

        @Override
        ByteBuffer args(KernelArgs w, Launch l) {
            return w.begin(kernel(), Kernels.TABLE_ARGS).i64(l.count()).ptr(l.upload(), l.queriesOffset())
                    .ptr(values.memory(), 0).ptr(orders.memory(), 0).ptr(rows, 0).ptr(weights, 0).ptr(l.work(), l.outOffset())
                    .i32(n).i32(q).i32(m).i32(0).end();
        }
    }

    /** Validation helper: a query a kernel cannot evaluate (names the query). */
    static IllegalArgumentException badQuery(ConditionalBatch batch, int j, String why) {
        return new IllegalArgumentException("cannot evaluate " + batch.describe(j) + " on the device: " + why);
    }
}
