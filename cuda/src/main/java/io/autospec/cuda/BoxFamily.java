package io.autospec.cuda;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import io.autospec.diffusion.models.BoxUniform;
import java.util.Arrays;

/**
 * Device family: the uniform law on a box, i.e. the zoo's {@code BoxUniform} and any denoiser
 * implementing {@link BoxSpec}: a truncated-normal mean per coordinate (one kernel).
 */
public final class BoxFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public BoxFamily() {}

    @Override
    public DriftModel driftModel(Denoiser denoiser, DeviceHeap heap) {
        Params p;
        if (denoiser instanceof BoxSpec b) {
            p = params(denoiser, b.lower(), b.upper());
        } else if (denoiser instanceof BoxUniform b) {
            double[] lo = new double[b.dimension()], hi = new double[b.dimension()];
            Arrays.fill(lo, b.lo());
            Arrays.fill(hi, b.hi());
            p = params(denoiser, lo, hi);
        } else {
            return null;
        }
        return new Model(denoiser, p, heap);
    }

    /** Box bounds, validated. */
    record Params(int d, double[] lower, double[] upper) {}

    static Params params(Denoiser den, double[] lo, double[] hi) {
        int d = den.dimension();
        if (lo.length != d || hi.length != d) throw new IllegalArgumentException(den.describe() + ": box bounds are not " + d + "-dimensional");
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(lo[i]) || !Double.isFinite(hi[i]) || !(hi[i] > lo[i])) {
                throw new IllegalArgumentException(den.describe() + ": coordinate " + i + " has bounds [" + lo[i] + ", " + hi[i] + "]");
            }
        }
        return new Params(d, lo.clone(), hi.clone());
    }

    /** Uniform on a box: a truncated-normal mean per coordinate. */
    static final class Model extends DriftModel {
        private final Params spec;
        private DeviceMemory lower, upper;

        Model(Denoiser den, Params spec, DeviceHeap heap) {
            super(den, heap);
            this.spec = spec;
        }

        @Override
        void upload(ArModel.Uploader up) {
            lower = keep(up.doubles(spec.lower(), "box lower bounds"));
            upper = keep(up.doubles(spec.upper(), "box upper bounds"));
        }

        @Override
        long workBytesPerQuery() {
            return 0;
        }

        @Override
        void launch(CudaBackend.Ctx ctx, DriftBatch batch, int lo, int hi) {
            int c = hi - lo;
            long items = (long) c * d;
            long pointsOff = uploadQueries(ctx, batch, lo, hi, 8L * items);
            DeviceMemory work = ctx.work.memory();
            DeviceMemory up = ctx.upload.memory();
            ctx.kernel(Kernels.BOX, items, ctx.args.begin(Kernels.BOX, Kernels.BOX_ARGS).i64(items).ptr(up, 0)
                    .ptr(up, pointsOff).ptr(lower, 0).ptr(upper, 0).ptr(work, 0).i32(d).i32(0).end());
            downloadOut(ctx, batch, lo, c, 0);
        }
    }
}
