package io.autospec.cuda;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;

/**
 * The device side of one denoiser of the zoo: parameters uploaded once, and one launch = upload the
 * times and points, run the kernels, download the drifts.
 */
abstract class DriftModel implements AutoCloseable {
    final Denoiser denoiser;
    final int d;
    private final DeviceHeap heap;
    private final java.util.List<DeviceMemory> params = new java.util.ArrayList<>();

    DriftModel(Denoiser denoiser, DeviceHeap heap) {
        this.denoiser = denoiser;
        this.d = denoiser.dimension();
        this.heap = heap;
    }

    /** The device model of a recognised denoiser ({@link DeviceDenoisers}), or null. */
    static DriftModel create(Denoiser denoiser, DeviceHeap heap, ArModel.Uploader up) {
        Object spec = DeviceDenoisers.recognise(denoiser);
        DriftModel m;
        if (spec instanceof DeviceDenoisers.Mixture mix) {
            m = new Mixture(denoiser, mix, heap);
        } else if (spec instanceof DeviceDenoisers.Box box) {
            m = new Box(denoiser, box, heap);
        } else {
            return null;
        }
        try {
            m.upload(up);
        } catch (RuntimeException e) {
            m.close();
            throw e;
        }
        return m;
    }

    final DeviceMemory keep(DeviceMemory m) {
        params.add(m);
        return m;
    }

    abstract void upload(ArModel.Uploader up);

    /** Device work bytes per query beyond the output (for the initial split estimate). */
    abstract long workBytesPerQuery();

    /** Evaluates queries [lo, hi) into batch.out(). */
    abstract void launch(CudaBackend.Ctx ctx, DriftBatch batch, int lo, int hi);

    @Override
    public void close() {
        for (DeviceMemory m : params) heap.free(m);
        params.clear();
    }

    /**
     * Makes room for a launch ({@code workBytes} of device work memory) and uploads the times and
     * points of queries [lo, hi); returns the points' offset in ctx.upload. Every buffer is sized
     * before the first copy is issued, so an out-of-memory never interrupts a launch half way.
     */
    final long uploadQueries(CudaBackend.Ctx ctx, DriftBatch batch, int lo, int hi, long workBytes) {
        int c = hi - lo;
        long pointsOff = Growth.align(8L * c);
        long bytes = pointsOff + 8L * c * d;
        DeviceMemory up = ctx.upload.ensure(bytes);
        ctx.work.ensure(workBytes);
        HostBuffer st = ctx.staging(Math.max(bytes, 8L * c * d)); // also holds the downloaded drifts
        ByteBuffer bb = st.buffer;
        DoubleBuffer times = bb.position(0).asDoubleBuffer();
        for (int j = lo; j < hi; j++) times.put(batch.time(j));
        bb.position((int) pointsOff).asDoubleBuffer().put(batch.points(), lo * d, c * d);
        ctx.device.upload(up, 0, st, 0, bytes);
        return pointsOff;
    }

    /** Downloads c x d drifts from work[outOff..] into batch.out() at query lo. */
    final void downloadOut(CudaBackend.Ctx ctx, DriftBatch batch, int lo, int c, long outOff) {
        long bytes = 8L * c * d;
        HostBuffer st = ctx.staging(bytes);
        ctx.device.download(st, 0, ctx.work.memory(), outOff, bytes);
        ctx.device.synchronize();
        st.buffer.position(0).asDoubleBuffer().get(batch.out(), lo * d, c * d);
    }

    // -------------------------------------------------------------------------------------------

    /** Gaussian mixture / atoms: G = X M^T, softmax weights, out = W M + c x: three kernels. */
    static final class Mixture extends DriftModel {
        private final DeviceDenoisers.Mixture spec;
        private final int k;
        private DeviceMemory means, logWeights, variances, meanNorms;

        Mixture(Denoiser den, DeviceDenoisers.Mixture spec, DeviceHeap heap) {
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

    /** Uniform on a box: a truncated-normal mean per coordinate. */
    static final class Box extends DriftModel {
        private final DeviceDenoisers.Box spec;
        private DeviceMemory lower, upper;

        Box(Denoiser den, DeviceDenoisers.Box spec, DeviceHeap heap) {
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
