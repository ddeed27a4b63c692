package io.autospec.cuda;

import io.autospec.ar.ArProcess;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.Order;
import io.autospec.ar.ResidentJob;
import io.autospec.core.Coupling;
import io.autospec.core.FixedPoint;

/**
 * Fixed-point rounds ({@code sequential}: window 1, {@code jacobi}: window W) on the device
 * (kernels/fixed_point_kernels.cuh). Each sample's slots are its window [cert, min(n, cert + W));
 * step t is queried given the iterate's first min(t, known) steps; each row is validated and
 * normalised exactly as ConditionalBatch.validate does, drawn with step t's fixed random numbers
 * under the coupling, the iterate updated in place, and [cert, first changed step] certified
 * ({@code Candidate.certify}). The random numbers are those of {@code coupling.noise(root.step(t), t, q)}:
 * computed on the device for the inverse CDF (pure Philox), uploaded once for Gumbel-max (whose
 * logarithms must be the JVM's). So the samples are the engine's, bit for bit, with its rounds and queries.
 */
final class ResidentFixedPoint extends ResidentRun {
    /** The tests' planted wrong variant: certifies one step past the first changed one (drawn from a stale value). */
    static volatile boolean plantedOverCertify;

    private final FixedPoint plan;
    private final Coupling.Rule rule;
    private final int noiseWidth;
    private DeviceMemory drawn, noise;

    ResidentFixedPoint(CudaBackend.Ctx ctx, DeviceHeap heap, ArModel model, ResidentJob job, FixedPoint plan, int window) {
        super(ctx, heap, model, job, window);
        this.plan = plan;
        this.rule = plan.coupling().rule(model.q);
        this.noiseWidth = rule == Coupling.Rule.GUMBEL_MAX ? model.q : 1;
    }

    @Override
    void setUpScheme() {
        drawn = own(4L * slots, "resident draws");
        noise = own(8L * samples * n * noiseWidth, "resident random numbers");
        if (rule == Coupling.Rule.INVERSE_CDF) {
            DeviceMemory keys = rootKeys();
            launch(device, Kernels.FP_NOISE, (long) samples * n, ctx.args.begin(Kernels.FP_NOISE, Kernels.FP_NOISE_ARGS)
                    .i64((long) samples * n).ptr(keys, 0).ptr(noise, 0).i32(n).i32(0).end());
            device.synchronize();
            return;
        }
        Coupling coupling = plan.coupling();
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
                .ptr(queries, 0).ptr(sigma, 0).ptr(state, at(CERT)).ptr(state, at(KNOWN)).ptr(state, at(AUX))
                .i32(n).i32(width).i32(orderInts).i32(0).end());
    }

    @Override
    void drawKernels(Device d, KernelArgs w) {
        launch(d, Kernels.FP_DRAW, slots, w.begin(Kernels.FP_DRAW, Kernels.FP_DRAW_ARGS).i64(slots)
                .ptr(work, 0).ptr(noise, 0).ptr(model.values.memory(), 0).ptr(drawn, 0)
                .ptr(state, at(CERT)).ptr(state, at(KNOWN)).ptr(state, at(AUX)).ptr(state, countersOff)
                .f64(ConditionalBatch.NORMALISATION_TOLERANCE)
                .i32(n).i32(q).i32(width).i32(rule == Coupling.Rule.GUMBEL_MAX ? 1 : 0).i32(noiseWidth).i32(0).end());
        launch(d, Kernels.FP_ADVANCE, samples, w.begin(Kernels.FP_ADVANCE, Kernels.FP_ADVANCE_ARGS).i64(samples)
                .ptr(drawn, 0).ptr(state, at(CERT)).ptr(state, at(KNOWN)).ptr(state, at(AUX)).ptr(state, countersOff)
                .i32(n).i32(width).i32(plantedOverCertify ? 1 : 0).i32(0).end());
    }

    @Override
    int liveQueries(int s, int[][] ints) {
        int c = ints[CERT][s];
        return c >= n ? 0 : Math.min(n, c + width) - c;
    }

    @Override
    int[] stepAndK(int s, int i, int[][] ints) {
        int t = ints[CERT][s] + i;
        return new int[] {t, Math.min(t, ints[KNOWN][s])}; // JacobiIterate: the iterate as far as it goes
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
