package io.autospec.cuda;

import io.autospec.ar.ArProcess;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.Order;
import io.autospec.ar.ResidentJob;
import io.autospec.ar.TokenSampler;
import io.autospec.core.TokenWindows;

/**
 * Token windows ({@code token}) on the device (kernels/token_kernels.cuh), as {@link TokenSampler}
 * runs them: per sample a window of w drafts from the marginals at the prefix (one round), the chain
 * of conditionals of the drafted branch (the next round, unless the window is the last position
 * alone), acceptance left to right, a residual or bonus token, and the adaptive rule from the
 * sample's finished windows only. Every random number is Philox from the window's stream, derived on
 * the device from the sample's root key; every sample makes one request a round. So the samples,
 * rounds and queries are the engine's, bit for bit.
 */
final class ResidentTokens extends ResidentRun {
    /** The tests' planted wrong variant: a rejected token is redrawn from p instead of the residual max(0, p - q). */
    static volatile boolean plantedNoResidual;

    private final TokenWindows plan;
    private DeviceMemory keys, draftRows;

    ResidentTokens(CudaBackend.Ctx ctx, ArModel model, ResidentJob job, TokenWindows plan, int width) {
        super(ctx, model, job, width);
        this.plan = plan;
    }

    @Override
    int initial(int index) {
        if (index == AUX) return plan.window() == 0 ? plan.minWindow() : plan.window(); // the next window
        return super.initial(index);
    }

    @Override
    void setUpScheme() {
        keys = rootKeys();
        draftRows = own(8L * slots * q, "draft rows");
    }

    @Override
    void queryKernel(Device d, KernelArgs w) {
        launch(d, Kernels.TOK_QUERIES, slots, w.begin(Kernels.TOK_QUERIES, Kernels.TOK_QUERIES_ARGS).i64(slots)
                .ptr(queries, 0).ptr(sigma, 0).ptr(state, at(CERT)).ptr(state, at(AUX)).ptr(state, at(PHASE))
                .i32(n).i32(width).i32(orderInts).i32(0).end());
    }

    @Override
    void drawKernels(Device d, KernelArgs w) {
        launch(d, Kernels.TOK_DRAW, slots, w.begin(Kernels.TOK_DRAW, Kernels.TOK_DRAW_ARGS).i64(slots)
                .ptr(work, 0).ptr(draftRows, 0).ptr(model.values.memory(), 0).ptr(keys, 0)
                .ptr(state, at(CERT)).ptr(state, at(AUX)).ptr(state, at(PHASE)).ptr(state, at(FAULT_STEP)).ptr(state, countersOff)
                .f64(ConditionalBatch.NORMALISATION_TOLERANCE).i32(n).i32(q).i32(width).i32(0).end());
        launch(d, Kernels.TOK_ADVANCE, samples, w.begin(Kernels.TOK_ADVANCE, Kernels.TOK_ADVANCE_ARGS).i64(samples)
                .ptr(work, 0).ptr(draftRows, 0).ptr(model.values.memory(), 0).ptr(keys, 0)
                .ptr(state, at(CERT)).ptr(state, at(AUX)).ptr(state, at(PHASE)).ptr(state, at(FAULT_STEP)).ptr(state, at(FAULT_KIND))
                .ptr(state, countersOff).i32(n).i32(q).i32(width).i32(plan.minWindow()).i32(plan.window()).i32(plantedNoResidual ? 1 : 0).end());
    }

    private int window(int s, int[][] ints) {
        return Math.min(ints[AUX][s], n - ints[CERT][s]);
    }

    @Override
    int liveQueries(int s, int[][] ints) {
        int a = ints[CERT][s];
        if (a >= n) return 0;
        int w = window(s, ints);
        return ints[PHASE][s] == 0 ? w : w - 1 + (a + w < n ? 1 : 0);
    }

    @Override
    int[] stepAndK(int s, int i, int[][] ints) {
        int a = ints[CERT][s];
        return ints[PHASE][s] == 0 ? new int[] {a + i, a} : new int[] {a + 1 + i, a + 1 + i};
    }

    /** Sample {@code s}'s window failed: a draft or the bonus token had no mass, or the residual none. */
    @Override
    RuntimeException drawFault(int s, int[][] ints) {
        Order order = job.orders().get(s);
        int step = ints[FAULT_STEP][s], a = ints[CERT][s];
        if (ints[FAULT_KIND][s] == 2) return TokenSampler.residualWithoutMass(order.position(step), order.sample(), step);
        // A draft (phase 0: its context is the prefix) or the bonus token (its context is the whole window).
        return ArProcess.zeroMass(model.oracle, order.position(step), order.sample(), ints[PHASE][s] == 0 ? a : step);
    }
}
