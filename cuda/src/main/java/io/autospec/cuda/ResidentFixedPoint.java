package io.autospec.cuda;

import io.autospec.ar.ArProcess;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.Order;
import io.autospec.ar.ResidentJob;
import io.autospec.ar.ResidentResult;
import io.autospec.core.AutoRounds;
import io.autospec.core.Coupling;
import java.util.ArrayList;
import java.util.List;

/**
 * Fixed-point rounds ({@code sequential}: window 1, {@code jacobi}: window W) on the device
 * (kernels/fixed_point_kernels.cuh). Each sample's slots are its window [cert, min(n, cert + W));
 * step t is queried given the iterate's first min(t, known) steps; each row is validated and
 * normalised exactly as ConditionalBatch.validate does, drawn with step t's fixed random numbers
 * under the coupling, the iterate updated in place, and [cert, first changed step] certified
 * ({@code Candidate.certify}). The random numbers are those of {@code coupling.noise(root.step(t), t, q)}:
 * computed on the device for the inverse CDF (pure Philox), uploaded once for Gumbel-max (whose
 * logarithms must be the JVM's). So the samples are the engine's, bit for bit, with its rounds and queries.
 *
 * <p><b>auto's Jacobi part</b> ({@link AutoRounds}): each sample's slots also hold, from its second
 * round on, the draft request (the marginals of the next D steps at the certified prefix, drawn with
 * the same random numbers), and a per-sample kernel runs the draft policy's bookkeeping (how far the
 * drafts agreed with Jacobi's new values, stalls and draft wins in a row). At the end of the round in
 * which some sample's policy starts drafting, every sample's state goes back to the engine
 * ({@link #handBack}), which runs the drafting rounds itself.
 */
final class ResidentFixedPoint extends ResidentRun {
    /** The tests' planted wrong variant: certifies one step past the first changed one (drawn from a stale value). */
    static volatile boolean plantedOverCertify;
    /** The tests' planted wrong variant of auto's policy: drafting starts one stall (or draft win) early. */
    static volatile boolean plantedEagerDrafts;

    private final Coupling coupling;
    private final Coupling.Rule rule;
    private final AutoRounds auto;  // null: a plain fixed point
    private final int window, drafts, noiseWidth;
    private DeviceMemory drawn, noise, draftValues;

    ResidentFixedPoint(CudaBackend.Ctx ctx, ArModel model, ResidentJob job, int window, Coupling coupling,
                       AutoRounds auto, int width) {
        super(ctx, model, job, width);
        this.coupling = coupling;
        this.auto = auto;
        this.window = Math.min(window, model.n);
        this.drafts = auto == null ? 0 : drafts(auto, model.n);
        this.rule = coupling.rule(model.q);
        this.noiseWidth = rule == Coupling.Rule.GUMBEL_MAX ? model.q : 1;
    }

    /** D, the steps of auto's draft request while it does not draft (DraftPolicy.draftWindow with no drafting rounds yet). */
    static int drafts(AutoRounds auto, int n) {
        return Math.min(n, Math.min(auto.window(), auto.draftWindow()));
    }

    /** The draft request's steps this round (as fixed_point_kernels.cuh counts them). */
    private int draftCount(int c, int rounds) {
        return drafts == 0 || rounds < 1 || c >= n ? 0 : Math.min(drafts, n - c);
    }

    @Override
    void setUpScheme() {
        drawn = own(4L * slots, "draws");
        if (drafts > 0) draftValues = own(4L * samples * drafts, "drafts");
        noise = own(8L * samples * n * noiseWidth, "random numbers");
        if (rule == Coupling.Rule.INVERSE_CDF) {
            DeviceMemory keys = rootKeys();
            launch(device, Kernels.FP_NOISE, (long) samples * n, ctx.args.begin(Kernels.FP_NOISE, Kernels.FP_NOISE_ARGS)
                    .i64((long) samples * n).ptr(keys, 0).ptr(noise, 0).i32(n).i32(0).end());
            device.synchronize();
            return;
        }
        int stepsPer = Math.max(1, (8 << 20) / (8 * noiseWidth));
        for (int s = 0; s < samples; s++) {
            io.autospec.spi.Node root = job.roots().get(s);
            for (int t0 = 0; t0 < n; t0 += stepsPer) {
                int t1 = Math.min(n, t0 + stepsPer);
                HostBuffer st = ctx.staging(8L * noiseWidth * (t1 - t0));
                java.nio.DoubleBuffer db = st.buffer.asDoubleBuffer();
                for (int t = t0; t < t1; t++) {
                    double[] r = coupling.noise(root.step(t), t, q);
                    if (r.length != noiseWidth) {
                        throw new IllegalStateException("coupling " + coupling + " gave " + r.length + " numbers for a step, expected " + noiseWidth);
                    }
                    db.put(r);
                }
                device.upload(noise, 8L * noiseWidth * ((long) s * n + t0), st, 0, 8L * noiseWidth * (t1 - t0));
                device.synchronize();
            }
        }
    }

    @Override
    void queryKernel(Device d, KernelArgs w) {
        launch(d, Kernels.FP_QUERIES, slots, w.begin(Kernels.FP_QUERIES, Kernels.FP_QUERIES_ARGS).i64(slots)
                .ptr(queries, 0).ptr(sigma, 0).ptr(state, at(CERT)).ptr(state, at(KNOWN)).ptr(state, at(AUX)).ptr(state, at(PHASE))
                .i32(n).i32(window).i32(width).i32(orderInts).i32(drafts).i32(0).end());
    }

    @Override
    void drawKernels(Device d, KernelArgs w) {
        launch(d, Kernels.FP_DRAW, slots, w.begin(Kernels.FP_DRAW, Kernels.FP_DRAW_ARGS).i64(slots)
                .ptr(work, 0).ptr(noise, 0).ptr(model.values.memory(), 0).ptr(drawn, 0)
                .ptr(state, at(CERT)).ptr(state, at(KNOWN)).ptr(state, at(AUX)).ptr(state, countersOff)
                .ptr(state, at(PHASE)).ptr(draftValues, 0)
                .f64(ConditionalBatch.NORMALISATION_TOLERANCE)
                .i32(n).i32(q).i32(window).i32(rule == Coupling.Rule.GUMBEL_MAX ? 1 : 0).i32(noiseWidth).i32(width).i32(drafts).i32(0).end());
        launch(d, Kernels.FP_ADVANCE, samples, w.begin(Kernels.FP_ADVANCE, Kernels.FP_ADVANCE_ARGS).i64(samples)
                .ptr(drawn, 0).ptr(state, at(CERT)).ptr(state, at(KNOWN)).ptr(state, at(AUX)).ptr(state, countersOff)
                .ptr(state, at(FROM)).i32(n).i32(window).i32(plantedOverCertify ? 1 : 0).i32(width).end());
        if (auto != null) {
            launch(d, Kernels.AUTO_POLICY, samples, w.begin(Kernels.AUTO_POLICY, Kernels.AUTO_POLICY_ARGS).i64(samples)
                    .ptr(model.values.memory(), 0).ptr(draftValues, 0).ptr(state, at(CERT)).ptr(state, at(FROM)).ptr(state, at(PHASE))
                    .ptr(state, at(STALLS)).ptr(state, at(WINS)).ptr(state, at(MODE)).ptr(state, countersOff)
                    .i32(n).i32(window).i32(drafts).i32(auto.stallFraction()).i32(auto.stallSweeps() - (plantedEagerDrafts ? 1 : 0)).i32(auto.hedge() ? 1 : 0).end());
        }
    }

    private int jacobiQueries(int c) {
        return c >= n ? 0 : Math.min(n, c + window) - c;
    }

    @Override
    int liveQueries(int s, int[][] ints) {
        int c = ints[CERT][s];
        return jacobiQueries(c) + draftCount(c, ints[PHASE][s]);
    }

    /** The engine's batch: the sweep of Jacobi's iterate, then the draft request. */
    @Override
    int batchOffset(int s, int i, int[][] ints) {
        return i < window ? i : jacobiQueries(ints[CERT][s]) + (i - window);
    }

    @Override
    int[] stepAndK(int s, int i, int[][] ints) {
        int c = ints[CERT][s];
        if (i >= window) return new int[] {c + i - window, c}; // the draft request: marginals at the certified prefix
        int t = c + i;
        return new int[] {t, Math.min(t, ints[KNOWN][s])}; // JacobiIterate: the iterate as far as it goes
    }

    /**
     * Every sample's state after the round in which some sample's draft policy started drafting: its
     * certified prefix and Jacobi's iterate, its rounds, its policy, and (drafting) the next drafts,
     * those of this round's draft request from the new certified length on (FixedPointRun.nextDrafts).
     */
    @Override
    ResidentResult handBack(int[][] ints) {
        int[][] values = downloadValues();
        int[] draftsOut = new int[samples * drafts];
        HostBuffer st = ctx.staging(4L * draftsOut.length);
        ctx.download(st, 0, draftValues, 0, 4L * draftsOut.length);
        device.synchronize();
        st.buffer.asIntBuffer().get(draftsOut);
        List<ResidentResult.FixedPointState> states = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            int c = ints[CERT][s], rounds = ints[PHASE][s], mode = ints[MODE][s];
            int[] drafted = new int[0];
            if (mode != 0) {
                int from = ints[FROM][s], end = Math.max(c, from + draftCount(from, rounds - 1));
                drafted = new int[end - c];
                for (int t = c; t < end; t++) drafted[t - c] = draftsOut[s * drafts + (t - from)];
            }
            states.add(new ResidentResult.FixedPointState(c, java.util.Arrays.copyOf(values[s], ints[KNOWN][s]), rounds,
                    ints[STALLS][s], ints[WINS][s], mode != 0, mode == 2, drafted));
        }
        return new ResidentResult(null, states);
    }

    /** A certified step's row had no mass ({@code slot}: the first such slot). */
    @Override
    RuntimeException drawFault(int slot, int[][] ints) {
        int s = slot / width;
        int[] tk = stepAndK(s, slot % width, ints);
        Order order = job.orders().get(s);
        return ArProcess.zeroMass(model.oracle, order.position(tk[0]), order.sample(), tk[1]);
    }
}
