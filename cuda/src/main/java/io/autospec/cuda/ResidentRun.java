package io.autospec.cuda;

import io.autospec.ar.ArProcess;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.FixedPointJob;
import io.autospec.ar.Order;
import io.autospec.core.Coupling;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

/**
 * The rounds of one fixed-point run ({@code sequential}, {@code jacobi}) with every sample's state on
 * the device (kernels/fixed_point_kernels.cuh). Set-up uploads each sample's order, its steps' fixed
 * random numbers (computed on the device for the inverse CDF, whose numbers are pure Philox; on the
 * host, by the coupling itself, for Gumbel-max, whose logarithms must be the JVM's), and empty state.
 * A round is then four kernels, recorded once as a {@link DeviceGraph} (a CUDA graph on a GPU) and
 * replayed: write each sample's window as query records in fixed slots, the family's model kernel,
 * validate + normalise + draw + update the iterate in place, certify and advance. Nothing is uploaded
 * and nothing allocated per round; the host reads a 24-byte counter block per replay. The slots are
 * fixed (samples x window), so finished samples and short windows ask dummy queries that nobody
 * reads; the rounds' query counts are the live windows only, as the engine counts them.
 *
 * <p>The samples are exactly the engine's: the same queries (step t given the iterate's first
 * min(t, known) steps), the same row arithmetic, the same draws, the same certification
 * ({@code Candidate.certify}), hence the {@code sequential} sample under the coupling, bit for bit.
 *
 * <p>Owns its device memory, its pinned counter buffer and its graph, and borrows the model's two
 * arenas (the model kernel reads values and orders there); {@link #close} frees everything and
 * empties the arenas, on every path.
 */
final class ResidentRun implements AutoCloseable {
    /** Bytes of the counter block (FpCounters): queries (int64), finished, fault, zero-mass slot, pad. */
    static final int COUNTERS_BYTES = 24;
    private static final int NONE = Integer.MAX_VALUE;
    /** Bytes of host staging per upload or download during set-up and read-back. */
    private static final int CHUNK = 8 << 20;

    private final CudaBackend.Ctx ctx;
    private final Device device;
    private final DeviceHeap heap;
    private final ArModel model;
    private final FixedPointJob job;
    private final Coupling.Rule rule;
    private final int samples, n, q, window, slots, noiseWidth, orderInts;
    private final List<DeviceMemory> owned = new ArrayList<>();
    private final PinnedBuffer counters;
    private DeviceMemory state, queries, sigma, drawn, noise, work;
    private long knownOff, firstOff, sumAtOff, sumOff, countersOff, summariesOff, scratchOff;
    private final ArModel.Summary summary;
    private DeviceGraph graph;
    private long rounds;
    /** The tests' planted wrong variant: certifies one step past the first changed one (drawn from a stale value). */
    static volatile boolean plantedOverCertify;
    private int kernelsPerRound;

    /**
     * Whether the run can be resident at all (cheap checks before any allocation): a model on the
     * shared launch layout, a coupling rule the kernels know, int32 offsets, slots within the capacity.
     */
    static boolean eligible(ArModel model, FixedPointJob job) {
        int n = model.n, samples = job.samples();
        long slots = (long) samples * Math.min(job.run().window(), n);
        return model.residentRounds()
                && (model.residentSummary() == ArModel.Summary.NONE || model.oracle.prefixSummary().initial() == 0)
                && job.run().coupling().rule(model.q) != Coupling.Rule.OTHER
                && slots <= job.capacity()
                && (long) samples * n <= Integer.MAX_VALUE
                && (long) samples * Math.max(1, model.orderInts(job.orders().get(0))) <= Integer.MAX_VALUE
                && slots * Math.max(model.q, 4) <= Integer.MAX_VALUE;
    }

    ResidentRun(CudaBackend.Ctx ctx, DeviceHeap heap, ArModel model, FixedPointJob job) {
        this.ctx = ctx;
        this.device = ctx.device;
        this.heap = heap;
        this.model = model;
        this.job = job;
        this.samples = job.samples();
        this.n = model.n;
        this.q = model.q;
        this.window = Math.min(job.run().window(), n);
        this.slots = samples * window;
        this.rule = job.run().coupling().rule(q);
        this.noiseWidth = rule == Coupling.Rule.GUMBEL_MAX ? q : 1;
        this.orderInts = model.orderInts(job.orders().get(0));
        this.summary = model.residentSummary();
        this.counters = new PinnedBuffer(heap, "resident round counters");
    }

    /** {@return the rounds replayed so far} */
    long rounds() {
        return rounds;
    }

    /** {@return the allocations and graph it holds (0 after {@link #close})} */
    int live() {
        return owned.size() + (counters.held() ? 1 : 0) + (graph == null ? 0 : 1);
    }

    /** {@return kernels per round} */
    int kernelsPerRound() {
        return kernelsPerRound;
    }

    /**
     * Uploads the samples' orders, random numbers and empty state, and records the round.
     * @throws DeviceOutOfMemoryException when the state does not fit (nothing is left allocated after {@link #close})
     */
    void setUp() {
        model.values.reset();
        model.orders.reset();
        model.values.ensureCapacity((long) samples * n);
        if (orderInts > 0) model.orders.ensureCapacity((long) samples * orderInts);
        // State: cert, known, first, sumAt (int32 each), the certified prefixes' summaries (int64), the counters.
        knownOff = 4L * samples;
        firstOff = 8L * samples;
        sumAtOff = 12L * samples;
        sumOff = Growth.align(16L * samples);
        countersOff = Growth.align(sumOff + 8L * samples);
        state = own(countersOff + COUNTERS_BYTES, "resident state");
        summariesOff = Growth.align(16L * slots);
        queries = own(summariesOff + (summary == ArModel.Summary.NONE ? 0 : 8L * slots), "resident query slots");
        sigma = own(4L * samples * n, "resident orders");
        drawn = own(4L * slots, "resident draws");
        noise = own(8L * samples * n * noiseWidth, "resident random numbers");
        scratchOff = Growth.align(8L * slots * q);
        work = own(scratchOff + 8L * slots * model.scratchDoubles(), "resident rows");
        counters.ensure(COUNTERS_BYTES);

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
        uploadNoise();
        resetState();
        graph = device.record(this::round);
        kernelsPerRound = graph.kernels();
    }

    /** One round's stream work: what the graph replays. */
    private void round(Device d) {
        KernelArgs w = ctx.args;
        launch(d, Kernels.FP_QUERIES, slots, w.begin(Kernels.FP_QUERIES, Kernels.FP_QUERIES_ARGS).i64(slots)
                .ptr(queries, 0).ptr(sigma, 0).ptr(state, 0).ptr(state, knownOff).ptr(state, firstOff)
                .i32(n).i32(window).i32(orderInts).i32(0).end());
        if (summary != ArModel.Summary.NONE) {
            launch(d, Kernels.FP_SUMMARIES, samples, w.begin(Kernels.FP_SUMMARIES, Kernels.FP_SUMMARIES_ARGS).i64(samples)
                    .ptr(queries, summariesOff).ptr(state, sumOff).ptr(model.summaryTable(), 0).ptr(model.values.memory(), 0)
                    .ptr(sigma, 0).ptr(state, 0).ptr(state, knownOff).ptr(state, sumAtOff)
                    .i32(n).i32(window).i32(summary.code).i32(0).end());
        }
        launch(d, model.kernel(), slots, model.args(w, new ArModel.Launch(slots, queries, 0, summariesOff, work, 0, scratchOff)));
        launch(d, Kernels.FP_DRAW, slots, w.begin(Kernels.FP_DRAW, Kernels.FP_DRAW_ARGS).i64(slots)
                .ptr(work, 0).ptr(noise, 0).ptr(model.values.memory(), 0).ptr(drawn, 0)
                .ptr(state, 0).ptr(state, knownOff).ptr(state, firstOff).ptr(state, countersOff)
                .f64(ConditionalBatch.NORMALISATION_TOLERANCE)
                .i32(n).i32(q).i32(window).i32(rule == Coupling.Rule.GUMBEL_MAX ? 1 : 0).i32(noiseWidth).i32(0).end());
        launch(d, Kernels.FP_ADVANCE, samples, w.begin(Kernels.FP_ADVANCE, Kernels.FP_ADVANCE_ARGS).i64(samples)
                .ptr(drawn, 0).ptr(state, 0).ptr(state, knownOff).ptr(state, firstOff).ptr(state, countersOff)
                .i32(n).i32(window).i32(plantedOverCertify ? 1 : 0).i32(0).end());
        d.download(counters.ensure(COUNTERS_BYTES), 0, state, countersOff, COUNTERS_BYTES);
    }

    private static void launch(Device d, String kernel, long items, ByteBuffer args) {
        LaunchConfig cfg = LaunchConfig.forItems(items);
        d.launch(kernel, cfg.grid(), cfg.block(), args);
    }

    /**
     * Replays rounds until every sample is certified to its end; each round is reported to the job.
     * @return the samples' values in step order
     */
    int[][] run() {
        long reported = 0;
        while (true) {
            graph.launch();
            device.synchronize();
            ctx.downloadedBytes += COUNTERS_BYTES;
            ByteBuffer c = counters.buffer();
            long queried = c.getLong(0);
            int finished = c.getInt(8), fault = c.getInt(12), zeroMass = c.getInt(16);
            if (fault != NONE) throw badRow(fault);
            if (zeroMass != NONE) throw noMass(zeroMass);
            rounds++;
            job.roundDone().accept(queried - reported);
            reported = queried;
            if (finished == samples) break;
            // Every round certifies at least one step of every unfinished sample.
            if (rounds > n) throw new IllegalStateException("resident rounds did not finish in " + n + " rounds (" + finished + " of " + samples + " samples done)");
        }
        return downloadValues();
    }

    // ------------------------------------------------------------------------------- set-up

    private DeviceMemory own(long bytes, String what) {
        DeviceMemory m = heap.allocate(Math.max(bytes, 8), what + " (" + samples + " samples x " + n + " steps)");
        owned.add(m);
        return m;
    }

    interface IntRows {
        void write(int s, java.nio.IntBuffer dst);
    }

    /** Uploads {@code width} ints per sample, sample after sample, through the staging buffer in chunks. */
    private void uploadInts(DeviceMemory dst, int rows, int width, IntRows body) {
        int per = Math.max(1, CHUNK / (4 * width));
        for (int s0 = 0; s0 < rows; s0 += per) {
            int s1 = Math.min(rows, s0 + per);
            HostBuffer st = ctx.staging(4L * width * (s1 - s0));
            java.nio.IntBuffer ib = st.buffer.asIntBuffer();
            for (int s = s0; s < s1; s++) body.write(s, ib);
            device.upload(dst, 4L * width * s0, st, 0, 4L * width * (s1 - s0));
            device.synchronize(); // the staging buffer is reused right away
        }
    }

    /** Every step's fixed random numbers r_t, as {@code coupling.noise(root.step(t), t, q)} gives them. */
    private void uploadNoise() {
        if (rule == Coupling.Rule.INVERSE_CDF) {
            // Pure Philox: the device derives each step's stream from the sample's root key (the same bits).
            DeviceMemory keys = own(8L * samples, "resident root keys");
            uploadInts(keys, samples, 2, (s, dst) -> dst.put(job.roots().get(s).key().k0()).put(job.roots().get(s).key().k1()));
            launch(device, Kernels.FP_NOISE, (long) samples * n, ctx.args.begin(Kernels.FP_NOISE, Kernels.FP_NOISE_ARGS)
                    .i64((long) samples * n).ptr(keys, 0).ptr(noise, 0).i32(n).i32(0).end());
            device.synchronize();
            return;
        }
        Coupling coupling = job.run().coupling();
        int stepsPer = Math.max(1, CHUNK / (8 * noiseWidth));
        for (int s = 0; s < samples; s++) {
            io.autospec.spi.Node root = job.roots().get(s);
            for (int t0 = 0; t0 < n; t0 += stepsPer) {
                int t1 = Math.min(n, t0 + stepsPer);
                HostBuffer st = ctx.staging(8L * noiseWidth * (t1 - t0));
                java.nio.DoubleBuffer db = st.buffer.asDoubleBuffer();
                for (int t = t0; t < t1; t++) {
                    double[] r = coupling.noise(root.step(t), t, q);
                    if (r.length != noiseWidth) throw new IllegalStateException("coupling " + coupling + " gave " + r.length + " numbers for a step, expected " + noiseWidth);
                    db.put(r);
                }
                device.upload(noise, 8L * noiseWidth * ((long) s * n + t0), st, 0, 8L * noiseWidth * (t1 - t0));
                device.synchronize();
            }
        }
    }

    /** cert = known = first = 0 for every sample; counters zero, no fault. */
    private void resetState() {
        long bytes = countersOff + COUNTERS_BYTES;
        HostBuffer st = ctx.staging(bytes);
        ByteBuffer b = st.buffer;
        for (int i = 0; i < bytes; i++) b.put(i, (byte) 0);
        b.putInt((int) countersOff + 12, NONE);
        b.putInt((int) countersOff + 16, NONE);
        device.upload(state, 0, st, 0, bytes);
        device.synchronize();
    }

    // ------------------------------------------------------------------------------ results

    private int[][] downloadValues() {
        int[][] out = new int[samples][n];
        int per = Math.max(1, CHUNK / (4 * n));
        for (int s0 = 0; s0 < samples; s0 += per) {
            int s1 = Math.min(samples, s0 + per);
            HostBuffer st = ctx.staging(4L * n * (s1 - s0));
            ctx.download(st, 0, model.values.memory(), 4L * n * s0, 4L * n * (s1 - s0));
            device.synchronize();
            java.nio.IntBuffer ib = st.buffer.asIntBuffer();
            for (int s = s0; s < s1; s++) ib.get(out[s]);
        }
        return out;
    }

    /** {cert[s]} and {known[s]} of every sample, as the failed round saw them. */
    private int[][] certifiedAndKnown() {
        HostBuffer st = ctx.staging(8L * samples);
        device.download(st, 0, state, 0, 8L * samples);
        device.synchronize();
        int[] cert = new int[samples], known = new int[samples];
        java.nio.IntBuffer ib = st.buffer.asIntBuffer();
        ib.get(cert);
        ib.get(known);
        return new int[][] {cert, known};
    }

    /** The slot's query as the engine names it: its index in the round's batch (live windows, sample order). */
    private String describe(int slot, int[][] ck) {
        int s = slot / window, i = slot % window;
        int c = ck[0][s], t = c + i, j = i;
        for (int r = 0; r < s; r++) if (ck[0][r] < n) j += Math.min(n, ck[0][r] + window) - ck[0][r];
        Order order = job.orders().get(s);
        return ConditionalBatch.describe(j, order.sample(), order.position(t), Math.min(t, ck[1][s]));
    }

    /** The error host validation gives for the slot's row (the device found it is no distribution). */
    private RuntimeException badRow(int slot) {
        int[][] ck = certifiedAndKnown();
        HostBuffer st = ctx.staging(8L * q);
        device.download(st, 0, work, 8L * q * slot, 8L * q);
        device.synchronize();
        double[] row = new double[q];
        st.buffer.asDoubleBuffer().get(row);
        ConditionalBatch.checkedSum(model.oracle, row, 0, q, () -> describe(slot, ck)); // throws, naming the query
        return new IllegalStateException("the device found the row of " + describe(slot, ck) + " invalid, the host does not: "
                + java.util.Arrays.toString(row));
    }

    /** The error of a certified step whose row had no mass. */
    private RuntimeException noMass(int slot) {
        int[][] ck = certifiedAndKnown();
        int s = slot / window, t = ck[0][s] + slot % window;
        Order order = job.orders().get(s);
        return ArProcess.zeroMass(model.oracle, order.position(t), order.sample(), Math.min(t, ck[1][s]));
    }

    /** Frees the graph, the device state and the counter buffer, and empties the borrowed arenas. */
    @Override
    public void close() {
        RuntimeException first = null;
        try {
            if (graph != null) graph.close();
        } catch (RuntimeException e) {
            first = e;
        }
        graph = null;
        for (DeviceMemory m : owned) {
            try {
                heap.free(m);
            } catch (RuntimeException e) {
                if (first == null) first = e;
                else first.addSuppressed(e);
            }
        }
        owned.clear();
        try {
            counters.release();
        } catch (RuntimeException e) {
            if (first == null) first = e;
            else first.addSuppressed(e);
        }
        model.values.reset();
        model.orders.reset();
        if (first != null) throw first;
    }
}
