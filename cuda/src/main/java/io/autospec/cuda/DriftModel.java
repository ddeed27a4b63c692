package io.autospec.cuda;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import java.nio.ByteBuffer;
import java.nio.DoubleBuffer;

/**
 * The device side of one denoiser: parameters uploaded once, and one launch = upload the times and
 * points, run the kernels, download the drifts. Each belongs to a {@link DeviceFamily}.
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

    /** The device model of {@code denoiser} from the first {@link DeviceFamily} that has one, or null. */
    static DriftModel create(Denoiser denoiser, DeviceHeap heap, ArModel.Uploader up) {
        return DeviceFamily.firstUploaded(f -> f.driftModel(denoiser, heap), m -> m.upload(up), DriftModel::close);
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
        ctx.download(st, 0, ctx.work.memory(), outOff, bytes);
        ctx.device.synchronize();
        st.buffer.position(0).asDoubleBuffer().get(batch.out(), lo * d, c * d);
    }
}
