package io.autospec.cuda;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ResidentJob;
import io.autospec.ar.ResidentResult;
import io.autospec.core.AutoRounds;
import io.autospec.core.FixedPoint;
import io.autospec.core.TokenWindows;
import java.nio.ByteBuffer;
import java.nio.IntBuffer;

/**
 * The rounds of one run with every sample's state on the device: the machinery shared by the
 * fixed-point rounds ({@link ResidentFixedPoint}: {@code sequential}, {@code jacobi}) and the token
 * windows ({@link ResidentTokens}: {@code token}). Set-up uploads each sample's order (sigma, and the
 * model's order record into its order arena) and empty state; a round is a few kernels over fixed
 * query slots (samples x width), recorded once as a {@link DeviceGraph} (a CUDA graph on a GPU) and
 * replayed: the scheme's query kernel writes each sample's request as query records, the prefix
 * summaries where the model reads them (kernels/fixed_point_kernels.cuh), the family's model kernel,
 * then the scheme's kernels validate, draw and advance. Nothing is uploaded and nothing allocated per
 * round; the host reads a 24-byte counter block per replay. Slots a sample does not use this round
 * ask a dummy query nobody reads; the rounds' query counts are the live ones, as the engine counts them.
 *
 * <p>Owns its graph; its device buffers and pinned counter buffer are the backend's, by role, grown as
 * needed and reused by later runs (no allocation per run once they are large enough), and it borrows
 * the model's two arenas (the model kernel reads values and orders there); {@link #close} destroys the
 * graph and empties the arenas, on every path.
 */
abstract class ResidentRun implements AutoCloseable {
    /** Bytes of the counter block (FpCounters): queries (int64), finished, fault slot, fault sample, pad. */
    static final int COUNTERS_BYTES = 24;
    static final int NONE = Integer.MAX_VALUE;
    /** Bytes of host staging per upload or download during set-up and read-back. */
    private static final int CHUNK = 8 << 20;
    /** Int arrays of the state, one int per sample each: their indices. */
    /**
     * Slots per sample above which prefix summaries are a blocked scan (4 kernels) rather than one
     * thread per sample looping over its slots (1 kernel): the loop is n steps a round on a long window.
     */
    static final int SCAN_WIDTH = 256;
    /** Positions per chunk of the blocked scan. */
    static final int SCAN_CHUNK = 256;
    static final int CERT = 0, KNOWN = 1, AUX = 2, SUM_AT = 3, PHASE = 4, FAULT_STEP = 5, FAULT_KIND = 6, FROM = 7, STALLS = 8,
            WINS = 9, MODE = 10, INT_ARRAYS = 11;

    final CudaBackend.Ctx ctx;
    final Device device;
    final ArModel model;
    final ResidentJob job;
    final int samples, n, q, width, slots, orderInts;
    final ArModel.Summary summary;
    private final PinnedBuffer counters;
    DeviceMemory state, queries, sigma, work, scanChunks, scanPrefix;
    long sumOff, countersOff, summariesOff, scratchOff;
    private DeviceGraph graph;
    private long rounds;
    private int kernelsPerRound;

    /**
     * The resident run of {@code job} on {@code model}, or null when it cannot be resident (cheap checks,
     * before any allocation): a model on the shared launch layout whose summaries (if any) the device
     * folds, a plan and coupling rule the kernels know, int32 offsets, slots within the capacity.
     */
    static ResidentRun of(CudaBackend.Ctx ctx, ArModel model, ResidentJob job) {
        if (!model.residentRounds()) return null;
        if (model.residentSummary() != ArModel.Summary.NONE && model.oracle.prefixSummary().initial() != 0) return null;
        int width;
        if (job.plan() instanceof FixedPoint fp) {
            if (fp.coupling().rule(model.q) == io.autospec.core.Coupling.Rule.OTHER) return null;
            width = Math.min(fp.window(), model.n);
        } else if (job.plan() instanceof AutoRounds ar) {
            if (ar.coupling().rule(model.q) == io.autospec.core.Coupling.Rule.OTHER) return null;
            width = Math.min(ar.window(), model.n) + ResidentFixedPoint.drafts(ar, model.n);
        } else if (job.plan() instanceof TokenWindows tw) {
            width = tw.window() == 0 ? model.n : Math.min(tw.window(), model.n);
        } else {
            return null;
        }
        long slots = (long) job.samples() * width;
        if (slots > job.capacity() || slots * Math.max(model.q, 4) > Integer.MAX_VALUE
                || (long) job.samples() * model.n > Integer.MAX_VALUE
                || (long) job.samples() * Math.max(1, model.orderInts(job.orders().get(0))) > Integer.MAX_VALUE) {
            return null;
        }
        if (job.plan() instanceof FixedPoint fp) return new ResidentFixedPoint(ctx, model, job, fp.window(), fp.coupling(), null, width);
        if (job.plan() instanceof AutoRounds ar) return new ResidentFixedPoint(ctx, model, job, ar.window(), ar.coupling(), ar, width);
        return new ResidentTokens(ctx, model, job, (TokenWindows) job.plan(), width);
    }

    ResidentRun(CudaBackend.Ctx ctx, ArModel model, ResidentJob job, int width) {
        this.ctx = ctx;
        this.device = ctx.device;
        this.model = model;
        this.job = job;
        this.samples = job.samples();
        this.n = model.n;
        this.q = model.q;
        this.width = width;
        this.slots = samples * width;
        this.orderInts = model.orderInts(job.orders().get(0));
        this.summary = model.residentSummary();
        this.counters = ctx.residentCounters;
    }

    /** {@return the rounds replayed so far} */
    long rounds() {
        return rounds;
    }

    /** {@return kernels per round} */
    int kernelsPerRound() {
        return kernelsPerRound;
    }

    /** {@return the graphs it holds (0 after {@link #close})} */
    int live() {
        return graph == null ? 0 : 1;
    }

    /** The offset of state int array {@code index} (one int per sample). */
    final long at(int index) {
        return 4L * samples * index;
    }

    // ------------------------------------------------------------------------- the scheme

    /** Allocates and fills the scheme's own device data (random numbers, kept rows...). */
    abstract void setUpScheme();

    /** The initial value of state int array {@code index} (every sample alike). */
    int initial(int index) {
        return index == FAULT_STEP ? NONE : 0;
    }

    /** Writes each sample's request of this round as query records in its slots. */
    abstract void queryKernel(Device d, KernelArgs w);

    /** Validates, draws and advances after the model kernel. */
    abstract void drawKernels(Device d, KernelArgs w);

    /** The queries sample {@code s} asks this round, given its state ints. */
    abstract int liveQueries(int s, int[][] ints);

    /** The slot's place in the sample's request(s) of this round, as the engine's batch lays them out. */
    int batchOffset(int s, int i, int[][] ints) {
        return i;
    }

    /** {@code {step, k}} of slot {@code i} of sample {@code s}'s request, given its state ints. */
    abstract int[] stepAndK(int s, int i, int[][] ints);

    /** The samples' states for the engine to go on from (only a scheme whose policy counts hand-backs). */
    ResidentResult handBack(int[][] ints) {
        throw new IllegalStateException(getClass().getSimpleName() + " does not hand rounds back");
    }

    /** The error the engine gives for the draw the counters name ({@code code}: the scheme's slot or sample). */
    abstract RuntimeException drawFault(int code, int[][] ints);

    // ------------------------------------------------------------------------------ set-up

    /**
     * Uploads the samples' orders and empty state, the scheme's data, and records the round.
     * @throws DeviceOutOfMemoryException when the state does not fit (nothing is left allocated after {@link #close})
     */
    final void setUp() {
        model.values.reset();
        model.orders.reset();
        model.values.ensureCapacity((long) samples * n);
        if (orderInts > 0) model.orders.ensureCapacity((long) samples * orderInts);
        sumOff = Growth.align(at(INT_ARRAYS));
        countersOff = Growth.align(sumOff + 8L * samples);
        state = own(countersOff + COUNTERS_BYTES, "state");
        summariesOff = Growth.align(16L * slots);
        queries = own(summariesOff + (summary == ArModel.Summary.NONE ? 0 : 8L * slots), "query slots");
        sigma = own(4L * samples * n, "orders");
        scratchOff = Growth.align(8L * slots * q);
        work = own(scratchOff + 8L * slots * model.scratchDoubles(), "rows");
        counters.ensure(COUNTERS_BYTES);
        if (summary != ArModel.Summary.NONE && width > SCAN_WIDTH) {
            scanChunks = own(8L * samples * ((width + SCAN_CHUNK) / SCAN_CHUNK), "summary chunks");
            scanPrefix = own(8L * samples * (width + 1), "summary prefixes");
        }

        uploadInts(sigma, samples, n, (s, dst) -> dst.put(job.orders().get(s).sigma()));
        if (orderInts > 0) {
            IntList record = new IntList();
            uploadInts(model.orders.memory(), samples, orderInts, (s, dst) -> {
                record.clear();
                model.writeOrder(job.orders().get(s), record);
                if (record.size != orderInts) {
                    throw new IllegalStateException("order record of " + record.size + " ints, expected " + orderInts);
                }
                dst.put(record.a, 0, orderInts);
            });
        }
        setUpScheme();
        resetState();
        graph = device.record(this::round);
        kernelsPerRound = graph.kernels();
    }

    /** One round's stream work: what the graph replays. */
    private void round(Device d) {
        KernelArgs w = ctx.args;
        queryKernel(d, w);
        if (summary != ArModel.Summary.NONE) {
            // Narrow windows: one kernel, a thread per sample; wide ones: the blocked scan.
            int chunks = (width + SCAN_CHUNK) / SCAN_CHUNK; // prefixes 0..width
            long perSample = (long) samples * chunks;
            boolean scan = width > SCAN_WIDTH;
            String[] kernels = scan ? new String[] {Kernels.FP_SUM_CHUNKS, Kernels.FP_SUM_FINAL, Kernels.FP_SUM_PREFIX, Kernels.FP_SUM_SLOTS}
                    : new String[] {Kernels.FP_SUMMARIES};
            int[] sizes = scan ? new int[] {Kernels.FP_SUM_CHUNKS_ARGS, Kernels.FP_SUM_FINAL_ARGS, Kernels.FP_SUM_PREFIX_ARGS, Kernels.FP_SUM_SLOTS_ARGS}
                    : new int[] {Kernels.FP_SUMMARIES_ARGS};
            long[] items = scan ? new long[] {perSample, samples, perSample, slots} : new long[] {samples};
            for (int k = 0; k < kernels.length; k++) {
                launch(d, kernels[k], items[k], w.begin(kernels[k], sizes[k]).i64(items[k])
                        .ptr(queries, summariesOff).ptr(state, sumOff).ptr(model.summaryTable(), 0).ptr(model.values.memory(), 0)
                        .ptr(sigma, 0).ptr(state, at(CERT)).ptr(queries, 0).ptr(state, at(SUM_AT)).ptr(scanChunks, 0).ptr(scanPrefix, 0)
                        .i32(n).i32(width).i32(summary.code).i32(chunks).i32(SCAN_CHUNK).i32(0).end());
            }
        }
        launch(d, model.kernel(), slots, model.args(w, new ArModel.Launch(slots, queries, 0, summariesOff, work, 0, scratchOff)));
        drawKernels(d, w);
        d.download(counters.ensure(COUNTERS_BYTES), 0, state, countersOff, COUNTERS_BYTES);
    }

    static void launch(Device d, String kernel, long items, ByteBuffer args) {
        LaunchConfig cfg = LaunchConfig.forItems(items);
        d.launch(kernel, cfg.grid(), cfg.block(), args);
    }

    /**
     * Replays rounds until every sample is done; each round is reported to the job.
     * @return the samples' values in step order
     */
    final ResidentResult run() {
        long reported = 0;
        while (true) {
            graph.launch();
            device.synchronize();
            ctx.downloadedBytes += COUNTERS_BYTES;
            ByteBuffer c = counters.buffer();
            long queried = c.getLong(0);
            int finished = c.getInt(8), fault = c.getInt(12), drawFault = c.getInt(16), handBack = c.getInt(20);
            if (fault != NONE) throw badRow(fault);
            if (drawFault != NONE) throw drawFault(drawFault, stateInts());
            rounds++;
            job.roundDone().accept(queried - reported);
            reported = queried;
            if (handBack > 0) return handBack(stateInts());
            if (finished == samples) break;
            // Every round takes at least one step of every unfinished sample (two rounds a token window).
            if (rounds > 2L * n) throw new IllegalStateException("resident rounds did not finish in " + 2L * n + " rounds ("
                    + finished + " of " + samples + " samples done)");
        }
        return new ResidentResult(downloadValues(), null);
    }

    /** The backend's resident buffer of this role, at least {@code bytes} long (its contents are this run's to write). */
    final DeviceMemory own(long bytes, String role) {
        return ctx.residentBuffer(role).ensure(Math.max(bytes, 8));
    }

    interface IntRows {
        void write(int s, IntBuffer dst);
    }

    /** Uploads {@code width} ints per sample, sample after sample, through the staging buffer in chunks. */
    final void uploadInts(DeviceMemory dst, int rows, int width, IntRows body) {
        int per = Math.max(1, CHUNK / (4 * width));
        for (int s0 = 0; s0 < rows; s0 += per) {
            int s1 = Math.min(rows, s0 + per);
            HostBuffer st = ctx.staging(4L * width * (s1 - s0));
            IntBuffer ib = st.buffer.asIntBuffer();
            for (int s = s0; s < s1; s++) body.write(s, ib);
            device.upload(dst, 4L * width * s0, st, 0, 4L * width * (s1 - s0));
            device.synchronize(); // the staging buffer is reused right away
        }
    }

    /** Every sample's root key (k0, k1): the device derives each step's stream from it, as Node.step does. */
    final DeviceMemory rootKeys() {
        DeviceMemory keys = own(8L * samples, "root keys");
        uploadInts(keys, samples, 2, (s, dst) -> dst.put(job.roots().get(s).key().k0()).put(job.roots().get(s).key().k1()));
        return keys;
    }

    /** Every state array at its initial value, summaries 0, counters zero, no fault. */
    private void resetState() {
        long bytes = countersOff + COUNTERS_BYTES;
        HostBuffer st = ctx.staging(bytes);
        ByteBuffer b = st.buffer;
        for (int i = 0; i < bytes; i++) b.put(i, (byte) 0);
        for (int index = 0; index < INT_ARRAYS; index++) {
            int v = initial(index);
            if (v != 0) for (int s = 0; s < samples; s++) b.putInt((int) (at(index) + 4L * s), v);
        }
        b.putInt((int) countersOff + 12, NONE);
        b.putInt((int) countersOff + 16, NONE);
        device.upload(state, 0, st, 0, bytes);
        device.synchronize();
    }

    // ------------------------------------------------------------------------------ results

    final int[][] downloadValues() {
        int[][] out = new int[samples][n];
        int per = Math.max(1, CHUNK / (4 * n));
        for (int s0 = 0; s0 < samples; s0 += per) {
            int s1 = Math.min(samples, s0 + per);
            HostBuffer st = ctx.staging(4L * n * (s1 - s0));
            ctx.download(st, 0, model.values.memory(), 4L * n * s0, 4L * n * (s1 - s0));
            device.synchronize();
            IntBuffer ib = st.buffer.asIntBuffer();
            for (int s = s0; s < s1; s++) ib.get(out[s]);
        }
        return out;
    }

    /** The state int arrays as the failed round left them: {@code ints[index][sample]}. */
    final int[][] stateInts() {
        HostBuffer st = ctx.staging(at(INT_ARRAYS));
        device.download(st, 0, state, 0, at(INT_ARRAYS));
        device.synchronize();
        int[][] ints = new int[INT_ARRAYS][samples];
        IntBuffer ib = st.buffer.asIntBuffer();
        for (int[] a : ints) ib.get(a);
        return ints;
    }

    /** The slot's query as the engine names it: its index in the round's batch (live requests in sample order). */
    final String describe(int s, int i, int[][] ints) {
        int j = batchOffset(s, i, ints);
        for (int r = 0; r < s; r++) j += liveQueries(r, ints);
        int[] tk = stepAndK(s, i, ints);
        io.autospec.ar.Order order = job.orders().get(s);
        return ConditionalBatch.describe(j, order.sample(), order.position(tk[0]), tk[1]);
    }

    /** The error host validation gives for the slot's row (the device found it is no distribution). */
    private RuntimeException badRow(int slot) {
        int[][] ints = stateInts();
        HostBuffer st = ctx.staging(8L * q);
        device.download(st, 0, work, 8L * q * slot, 8L * q);
        device.synchronize();
        double[] row = new double[q];
        st.buffer.asDoubleBuffer().get(row);
        int s = slot / width, i = slot % width;
        ConditionalBatch.checkedSum(model.oracle, row, 0, q, () -> describe(s, i, ints)); // throws, naming the query
        return new IllegalStateException("the device found the row of " + describe(s, i, ints) + " invalid, the host does not: "
                + java.util.Arrays.toString(row));
    }

    /** Destroys the graph and empties the borrowed arenas (the buffers stay the backend's, for the next run). */
    @Override
    public void close() {
        DeviceGraph g = graph;
        graph = null;
        model.values.reset();
        model.orders.reset();
        if (g != null) g.close();
    }
}
