package io.autospec.cuda;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import io.autospec.diffusion.models.IsotropicMixture;

/**
 * Device family: isotropic Gaussian mixtures and finite atoms, i.e. the zoo's {@code IsotropicMixture}
 * and any denoiser implementing {@link MixtureSpec}. Three kernels per launch (inner products,
 * softmax weights, weighted mean; see kernels/diffusion_kernels.cuh): the driver is all it needs.
 */
public final class MixtureFamily implements DeviceFamily {
    /** For {@link java.util.ServiceLoader}. */
    public MixtureFamily() {}

    @Override
    public DriftModel driftModel(Denoiser denoiser, DeviceHeap heap) {
        Params p;
        if (denoiser instanceof MixtureSpec m) p = params(denoiser, m.weights(), m.means(), m.variances());
        else if (denoiser instanceof IsotropicMixture m) p = params(denoiser, m.weights(), m.means(), m.variances());
        else return null;
        return new Model(denoiser, p, heap);
    }

    /** Mixture parameters, validated. */
    record Params(int d, double[] weights, double[] means, double[] variances) {
        int components() {
            return weights.length;
        }
    }

    static Params params(Denoiser den, double[] w, double[] means, double[] s2) {
        int d = den.dimension();
        int k = w.length;
        if (k < 1) throw new IllegalArgumentException(den.describe() + ": a mixture needs at least one component");
        if (means.length != (long) k * d) {
            throw new IllegalArgumentException(den.describe() + ": means have " + means.length + " entries, expected K d = " + (long) k * d);
        }
        if (s2.length != k) throw new IllegalArgumentException(den.describe() + ": " + s2.length + " variances for " + k + " components");
        double total = 0;
        for (int i = 0; i < k; i++) {
            if (!(w[i] >= 0) || Double.isInfinite(w[i])) throw new IllegalArgumentException(den.describe() + ": weight " + i + " is " + w[i]);
            if (!(s2[i] >= 0) || Double.isInfinite(s2[i])) throw new IllegalArgumentException(den.describe() + ": variance " + i + " is " + s2[i]);
            total += w[i];
        }
        if (!(total > 0)) throw new IllegalArgumentException(den.describe() + ": mixture weights sum to " + total);
        for (double m : means) if (!Double.isFinite(m)) throw new IllegalArgumentException(den.describe() + ": a mean is " + m);
        return new Params(d, w.clone(), means.clone(), s2.clone());
    }

    /** Gaussian mixture / atoms: G = X M^T, softmax weights, out = W M + c x: three kernels. */
    static final class Model extends DriftModel {
        private final Params spec;
        private final int k;
        private DeviceMemory means, logWeights, variances, meanNorms;

        Model(Denoiser den, Params spec, DeviceHeap heap) {
            super(den, heap);
            this.spec = spec;
            this.k = spec.components();
        }

        @Override
        void upload(ArModel.Uploader up) {
            double[] m = spec.means();
            double[] lw = new double[k], norms = new double[k];
            for (int i = 0; i < k; i++) {
                lw[i] = Math.log(spec.weights()[i]);
                double s = 0;
                for (int c = 0; c < d; c++) s += m[i * d + c] * m[i * d + c];
                norms[i] = s;
            }
            means = keep(up.doubles(m, "mixture means"));
            logWeights = keep(up.doubles(lw, "mixture log weights"));
            variances = keep(up.doubles(spec.variances(), "mixture variances"));
            meanNorms = keep(up.doubles(norms, "mixture mean norms"));
        }

        @Override
        long workBytesPerQuery() {
            return 8L * (2L * k + 1);
        }

        @Override
        void launch(CudaBackend.Ctx ctx, DriftBatch batch, int lo, int hi) {
            int c = hi - lo;
            long innerOff = 0;
            long weightsOff = Growth.align(8L * c * k);
            long scaleOff = Growth.align(weightsOff + 8L * c * k);
            long outOff = Growth.align(scaleOff + 8L * c);
            long pointsOff = uploadQueries(ctx, batch, lo, hi, outOff + 8L * c * d);
            DeviceMemory work = ctx.work.memory();
            DeviceMemory up = ctx.upload.memory();
            ctx.kernel(Kernels.MIXTURE_INNER, (long) c * k, ctx.args.begin(Kernels.MIXTURE_INNER, Kernels.MIXTURE_INNER_ARGS)
                    .i64((long) c * k).ptr(up, pointsOff).ptr(means, 0).ptr(work, innerOff).i32(k).i32(d).end());
            ctx.kernel(Kernels.MIXTURE_WEIGHTS, c, ctx.args.begin(Kernels.MIXTURE_WEIGHTS, Kernels.MIXTURE_WEIGHTS_ARGS)
                    .i64(c).ptr(up, 0).ptr(up, pointsOff).ptr(work, innerOff).ptr(logWeights, 0).ptr(variances, 0)
                    .ptr(meanNorms, 0).ptr(work, weightsOff).ptr(work, scaleOff).i32(k).i32(d).end());
            long items = (long) c * d;
            ctx.kernel(Kernels.MIXTURE_MEAN, items, ctx.args.begin(Kernels.MIXTURE_MEAN, Kernels.MIXTURE_MEAN_ARGS)
                    .i64(items).ptr(up, pointsOff).ptr(work, scaleOff).ptr(work, weightsOff).ptr(means, 0).ptr(work, outOff)
                    .i32(k).i32(d).end());
            downloadOut(ctx, batch, lo, c, outOff);
        }
    }
}
