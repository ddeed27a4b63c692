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
        return DeviceFamily.firstUploaded(f -> f.arModel(oracle, heap), m -> m.upload(up), ArModel::close);
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

    /** How resident rounds compute the prefix summaries this model's kernel reads (kernels/fixed_point_kernels.cuh). */
    enum Summary {
        /** the kernel reads none */
        NONE(0),
        /** the sum of the pinned values (Curie-Weiss: the number of ones) */
        SUM(1),
        /** the XOR of {@link #summaryTable()}[position] over the pinned values != 0 (parity) */
        XOR(2);

        final int code;

        Summary(int code) {
            this.code = code;
        }
    }

    /**
     * The rule of this model's prefix summaries as resident rounds compute them on the device, or null
     * when they cannot (the default for a model that reads summaries: a family that declares its rule
     * mirrors its oracle's {@link io.autospec.ar.PrefixSummary} exactly, from the initial summary 0).
     */
    Summary residentSummary() {
        return usesSummaries() ? null : Summary.NONE;
    }

    /** The per-position words of a {@link Summary#XOR} rule (device memory), else null. */
    DeviceMemory summaryTable() {
        return null;
    }

    /**
     * Whether a fixed-point run of this model may keep its rounds on the device ({@link ResidentRun}):
     * the shared launch layout, summaries (if any) with a rule the device knows, and every k below n
     * allowed. A model with a launch of its own says no.
     */
    boolean residentRounds() {
        return residentSummary() != null && maxPinned() >= n - 1;
    }

    /** The largest k a query may have (smaller than n where the kernel needs a free position). */
    int maxPinned() {
        return n;
    }

    /**
     * Evaluates queries [lo, hi) into batch.out(). The default is the shared one-kernel launch over
     * packed queries ({@link #kernel} with {@link #args}); a model with device state of its own (e.g.
     * a factor per sample) overrides it, as every {@link DriftModel} implements its launch.
     *
     * <p>With {@code validate}, the shared launch also runs the batch's validation on the device right
     * after the model kernel (kernels/validate_kernels.cuh) and downloads only what the requests read:
     * normalised rows for row queries, one probability and a zero-row flag for scored ones (see
     * {@link ConditionalBatch#validated}). An overriding launch may ignore it: the batch then validates
     * on the host.
     */
    void launch(CudaBackend.Ctx ctx, ConditionalBatch batch, int lo, int hi, boolean validate) {
        ArModel model = this;
        Device device = ctx.device;
        ArPacker p = ctx.packer;
        try {
            if (!p.pack(model, batch, lo, hi)) {
                model.values.reset();
                model.orders.reset();
                if (!p.pack(model, batch, lo, hi)) {
                    long[] need = ArPacker.need(model, batch, lo, hi);
                    model.values.reset();
                    model.orders.reset();
                    model.values.ensureCapacity(need[0]);
                    model.orders.ensureCapacity(need[1]);
                    if (!p.pack(model, batch, lo, hi)) throw new IllegalStateException("arena sized for the launch is still full");
                }
            }
            int c = p.count, q = model.q, rec = p.records;
            boolean direct = p.direct;
            if (validate) p.packOutputs(batch, lo, hi, q);
            // Uploaded: the request records (or the query records of lone queries), summaries, arena
            // patches, and with direct records the validation's output layout. Written on the device
            // after them by as_ar_expand: the query records and the output layout.
            long rOff = 0;
            long sOff = Growth.align(rOff + (direct ? 16L * c : 4L * ArPacker.RECORD_INTS * rec));
            long vpOff = Growth.align(sOff + (model.usesSummaries() ? 8L * c : 0));
            long vdOff = Growth.align(vpOff + 4L * p.valuePatches.size);
            long opOff = Growth.align(vdOff + 4L * p.valueData.size);
            long odOff = Growth.align(opOff + 4L * p.orderPatches.size);
            long hostEnd = odOff + 4L * p.orderData.size;
            long qOff = direct ? rOff : Growth.align(hostEnd);
            long metaOff = Growth.align(direct ? hostEnd : qOff + 16L * c);
            long uploadBytes = direct && validate ? metaOff + 8L * c : hostEnd;
            long upBytes = validate ? metaOff + 8L * c : Math.max(hostEnd, direct ? 0 : qOff + 16L * c);
            long rowBytes = 8L * q * c;
            long scratchOff = Growth.align(rowBytes);
            long outputsOff = Growth.align(scratchOff + 8L * model.scratchDoubles() * c);
            long statusOff = outputsOff + 8L * p.outputDoubles;
            // What comes back: the raw rows, or the compact outputs and the statuses (one copy).
            long downOff = validate ? outputsOff : 0;
            long downBytes = validate ? statusOff + 4L * c - outputsOff : rowBytes;
            long workBytes = validate ? statusOff + 4L * c : outputsOff;

            DeviceMemory up = ctx.upload.ensure(upBytes);
            DeviceMemory work = ctx.work.ensure(workBytes);
            HostBuffer st = ctx.staging(Math.max(uploadBytes, downBytes));
            ByteBuffer bb = st.buffer;
            bb.position((int) rOff);
            if (direct) bb.asIntBuffer().put(p.queries, 0, 4 * c);
            else bb.asIntBuffer().put(p.recordInts, 0, ArPacker.RECORD_INTS * rec);
            if (model.usesSummaries()) {
                bb.position((int) sOff);
                bb.asLongBuffer().put(p.summaries, 0, c);
            }
            bb.position((int) vpOff);
            bb.asIntBuffer().put(p.valuePatches.a, 0, p.valuePatches.size);
            bb.position((int) vdOff);
            bb.asIntBuffer().put(p.valueData.a, 0, p.valueData.size);
            bb.position((int) opOff);
            bb.asIntBuffer().put(p.orderPatches.a, 0, p.orderPatches.size);
            bb.position((int) odOff);
            bb.asIntBuffer().put(p.orderData.a, 0, p.orderData.size);
            if (direct && validate) {
                bb.position((int) metaOff);
                bb.asIntBuffer().put(p.outputMeta, 0, 2 * c);
            }
            device.upload(up, 0, st, 0, uploadBytes);
            scatter(ctx, model.values, p.valuePatches.size / 3, up, vpOff, vdOff);
            scatter(ctx, model.orders, p.orderPatches.size / 3, up, opOff, odOff);
            if (!direct) {
                ctx.kernel(Kernels.AR_EXPAND, c, ctx.args.begin(Kernels.AR_EXPAND, Kernels.AR_EXPAND_ARGS)
                        .i64(c).ptr(up, rOff).ptr(model.orders.memory(), 0).ptr(model.values.memory(), 0)
                        .ptr(up, qOff).ptr(validate ? up : null, metaOff).i32(rec).i32(q).i32(plantedChainK ? 1 : 0).i32(0).end());
            }
            ArModel.Launch l = new ArModel.Launch(c, up, qOff, sOff, work, 0, scratchOff);
            ctx.kernel(model.kernel(), c, model.args(ctx.args, l));
            if (validate) {
                ctx.kernel(Kernels.VALIDATE_ROWS, c, ctx.args.begin(Kernels.VALIDATE_ROWS, Kernels.VALIDATE_ROWS_ARGS)
                        .i64(c).ptr(work, 0).ptr(up, metaOff).ptr(work, outputsOff).ptr(work, statusOff)
                        .f64(ConditionalBatch.NORMALISATION_TOLERANCE).i32(q).i32(0).end());
            }
            ctx.download(st, 0, work, downOff, downBytes);
            device.synchronize();
            bb.position(0);
            if (!validate) {
                bb.asDoubleBuffer().get(batch.out(), lo * q, c * q);
                return;
            }
            deliverValidated(ctx, batch, lo, hi, work, bb.asDoubleBuffer(), bb.position((int) (statusOff - outputsOff)).asIntBuffer());
        } catch (RuntimeException e) {
            // What the arenas' bookkeeping says was uploaded may not be on the device: forget it all.
            model.values.reset();
            model.orders.reset();
            throw e;
        }
    }

    /**
     * Hands the downloaded outputs to the batch: rows into out(), scores through putScore, and the
     * first rejected row (its raw entries fetched for the message) through rejected.
     */
    private void deliverValidated(CudaBackend.Ctx ctx, ConditionalBatch batch, int lo, int hi, DeviceMemory work,
                                  java.nio.DoubleBuffer outputs, java.nio.IntBuffer status) {
        double[] out = batch.out();
        int[] meta = ctx.packer.outputMeta;
        int bad = -1;
        for (int j = lo; j < hi; j++) {
            int i = j - lo, s = status.get(i), x = meta[2 * i], off = meta[2 * i + 1];
            if (s != AS_ROW_OK && s != AS_ROW_ZERO) {
                if (bad < 0) bad = j;
                continue;
            }
            if (x >= 0) batch.putScore(j, outputs.get(off), s == AS_ROW_ZERO);
            else outputs.get(off, out, j * q, q);
        }
        if (bad >= 0) {
            int i = bad - lo, s = status.get(i);
            double number = outputs.get(ctx.packer.outputMeta[2 * i + 1]);
            HostBuffer st = ctx.staging(8L * q);
            ctx.download(st, 0, work, 8L * q * i, 8L * q);
            ctx.device.synchronize();
            st.buffer.position(0);
            st.buffer.asDoubleBuffer().get(out, bad * q, q);
            batch.rejected(bad, s == AS_ROW_UNNORMALISED ? -1 : -1 - s, number);
        }
        batch.validated(lo, hi);
    }

    /** The tests' planted wrong variant: the expansion gives a chain request's query at step r k = min(r + 1, known). */
    static volatile boolean plantedChainK;

    /** Statuses of kernels/validate_kernels.cuh (below them: -1 - v, entry v is bad). */
    static final int AS_ROW_OK = 0, AS_ROW_ZERO = 1, AS_ROW_UNNORMALISED = 2;

    private static void scatter(CudaBackend.Ctx ctx, IntArena<?> arena, int patches, DeviceMemory up, long patchOff, long dataOff) {
        if (patches == 0) return;
        ctx.kernel(Kernels.SCATTER_INTS, patches, ctx.args.begin(Kernels.SCATTER_INTS, Kernels.SCATTER_INTS_ARGS)
                .i64(patches).ptr(arena.memory(), 0).ptr(up, dataOff).ptr(up, patchOff).end());
    }

    /**
     * Device bytes per query for the first split estimate. The shared launch's: request record (at
     * most one per query), query record, summary, rows, scratch, and what validation adds (output
     * record, compact outputs, status) (arena room depends on which branches repeat; a launch that
     * overruns it is halved).
     */
    long bytesPerQuery() {
        return 4L * ArPacker.RECORD_INTS + 16 + 8 + 8L * q + 8L * scratchDoubles() + 8 + 8L * q + 4;
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
