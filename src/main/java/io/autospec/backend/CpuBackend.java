package io.autospec.backend;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Evaluates batches with plain Java threads: the query range is split into chunks run on a private
 * fork-join pool (small batches run on the calling thread). Oracles write straight into the batch's
 * output buffer, so evaluation allocates nothing per query.
 */
public final class CpuBackend implements Backend {
    /** Below this many output values a launch is evaluated on the calling thread. */
    private static final int INLINE_WORK = 2048;

    private final int threads;
    private final ForkJoinPool pool;

    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** One thread per available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return "cpu";
    }

    @Override
    public String describe() {
        return "cpu (" + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    }

    @Override
    public void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to) {
        run(from, to, batch.alphabet(), (lo, hi) -> oracle.conditionals(batch, lo, hi, batch.out()));
    }

    @Override
    public void drifts(Denoiser denoiser, DriftBatch batch, int from, int to) {
        run(from, to, batch.dimension() * Math.max(1, denoiser.costPerQuery()),
                (lo, hi) -> denoiser.denoise(batch, lo, hi, batch.out()));
    }

    private interface RangeTask {
        void run(int from, int to);
    }

    private void run(int from, int to, int workPerQuery, RangeTask task) {
        long work = (long) (to - from) * Math.max(1, workPerQuery);
        if (pool == null || work <= INLINE_WORK || to - from < 2) {
            task.run(from, to);
            return;
        }
        int chunks = threads * 4;
        int grain = Math.max(1, (to - from + chunks - 1) / chunks);
        pool.invoke(new Split(task, from, to, grain));
    }

    private static final class Split extends RecursiveAction {
        private static final long serialVersionUID = 1L;
        private final transient RangeTask task;
        private final int from, to, grain;

        Split(RangeTask task, int from, int to, int grain) {
            this.task = task;
            this.from = from;
            this.to = to;
            this.grain = grain;
        }

        @Override
        protected void compute() {
            if (to - from <= grain) {
                task.run(from, to);
                return;
            }
            int mid = (from + to) >>> 1;
            invokeAll(new Split(task, from, mid, grain), new Split(task, mid, to, grain));
        }
    }

    @Override
    public void close() {
        if (pool != null) pool.shutdownNow();
    }
}
