package io.autospec.cuda;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import java.nio.ByteBuffer;

/**
 * The device side of one AR oracle: its parameters uploaded once, its two arenas (orders and
 * branch values, see {@link IntArena}), what its kernel reads per query, and its argument struct.
 * Each model belongs to a {@link DeviceFamily}; {@link #create} asks the registered families.
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

    /** The device model of {@code oracle} from the first family that has one, or null (host only). */
    static ArModel create(ConditionalOracle oracle, DeviceHeap heap, Uploader up) {
        ArModel m = null;
        for (DeviceFamily f : DeviceFamily.all()) {
            m = f.arModel(oracle, heap);
            if (m != null) break;
        }
        if (m == null) return null;
        try {
            m.upload(up);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    /** The backend's device heap. */
    final DeviceHeap heap() {
        return heap;
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

    /**
     * Whether the model runs its own launches ({@link #launch}) instead of the shared one-kernel
     * launch over packed queries (a model with device state of its own, e.g. a factor per sample).
     */
    boolean ownsLaunch() {
        return false;
    }

    /** Evaluates queries [lo, hi) into batch.out() (only when {@link #ownsLaunch}). */
    void launch(CudaBackend.Ctx ctx, ConditionalBatch batch, int lo, int hi) {
        throw new UnsupportedOperationException(describe() + " uses the shared launch");
    }

    /** Device bytes per query for the first split estimate (only when {@link #ownsLaunch}). */
    long bytesPerQuery() {
        return 0;
    }

    /** Arena resets so far (for {@link CudaBackend#stats}). */
    long resets() {
        return values.resets() + orders.resets();
    }

    /** Frees what can be rebuilt, to make room after an out-of-memory. */
    void dropCaches() {
        values.release();
        orders.release();
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

    /** Validation helper: a query a kernel cannot evaluate (names the query). */
    static IllegalArgumentException badQuery(ConditionalBatch batch, int j, String why) {
        return new IllegalArgumentException("cannot evaluate " + batch.describe(j) + " on the device: " + why);
    }
}
