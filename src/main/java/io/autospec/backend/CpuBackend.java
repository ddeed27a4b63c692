package io.autospec.backend;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import java.util.Map;
import java.util.WeakHashMap;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.RecursiveAction;

/**
 * Evaluates batches with plain Java threads: the query range is split into chunks run on a private
 * fork-join pool. Handing work to other threads costs tens of microseconds, more than a whole launch
 * of a cheap oracle, so the backend learns each oracle's cost per query (from launches it times) and
 * runs a launch on the calling thread unless it is expected to take longer than
 * {@link #PARALLEL_ABOVE_NANOS}. Oracles write straight into the batch's output buffer, so
 * evaluation allocates nothing per query.
 */
public final class CpuBackend implements Backend {
    /** The backend's name, as {@link Backends#open} takes it. */
    public static final String NAME = "cpu";

    /** The CPU backend as a {@link BackendProvider} (registered in {@code META-INF/services}): always usable. */
    public static final class Provider implements BackendProvider {
        /** For {@link java.util.ServiceLoader}. */
        public Provider() {}

        @Override
        public String name() {
            return NAME;
        }

        @Override
        public String unavailableReason() {
            return null;
        }

        @Override
        public Backend open(int cpuThreads, int device) {
            return new CpuBackend(cpuThreads);
        }
    }

    /** Launches expected to take less than this run on the calling thread. */
    static final long PARALLEL_ABOVE_NANOS = 200_000;
    /** Before a cost is known: launches with fewer output values than this run on the calling thread. */
    private static final int INLINE_WORK = 2048;

    private final int threads;
    private final ForkJoinPool pool;
    /**
     * Measured nanoseconds per query, by oracle or denoiser (exponential moving average). Weak keys: a
     * long-lived backend (a benchmark sweep) sees many models and must not keep them alive. Oracles
     * do not override equals, so this is by identity.
     */
    private final Map<Object, double[]> nanosPerQuery = new WeakHashMap<>();
    private volatile boolean closed;

    /**
     * A backend running launches on a private pool of threads.
     *
     * @param threads at least 1 (1: every launch on the calling thread)
     */
    public CpuBackend(int threads) {
        if (threads < 1) throw new IllegalArgumentException("threads must be >= 1, got " + threads);
        this.threads = threads;
        this.pool = threads == 1 ? null : new ForkJoinPool(threads);
    }

    /** One thread per available processor. */
    public CpuBackend() {
        this(Runtime.getRuntime().availableProcessors());
    }

    /** {@return the number of threads} */
    public int threads() {
        return threads;
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String describe() {
        return "cpu (" + threads + " thread" + (threads == 1 ? "" : "s") + ")";
    }

    @Override
    public void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to) {
        requireOpen();
        if (oracle.wholeLaunch()) {
            oracle.conditionals(batch, from, to, batch.out());
            return;
        }
        run(oracle, from, to, batch.alphabet(), (lo, hi) -> oracle.conditionals(batch, lo, hi, batch.out()));
    }

    @Override
    public void drifts(Denoiser denoiser, DriftBatch batch, int from, int to) {
        requireOpen();
        if (denoiser.wholeLaunch()) {
            denoiser.denoise(batch, from, to, batch.out());
            return;
        }
        run(denoiser, from, to, batch.dimension() * Math.max(1, denoiser.costPerQuery()),
                (lo, hi) -> denoiser.denoise(batch, lo, hi, batch.out()));
    }

    /** A closed pool rejects work with a bare RejectedExecutionException: say what happened instead. */
    private void requireOpen() {
        if (closed) throw new IllegalStateException("the backend " + describe() + " is closed");
    }

    private interface RangeTask {
        void run(int from, int to);
    }

    private void run(Object model, int from, int to, int workPerQuery, RangeTask task) {
        int count = to - from;
        double[] cost;
        synchronized (nanosPerQuery) {
            cost = nanosPerQuery.computeIfAbsent(model, k -> new double[] {Double.NaN});
        }
        boolean inline = pool == null || count < 2 || (Double.isNaN(cost[0])
                ? (long) count * Math.max(1, workPerQuery) <= INLINE_WORK
                : cost[0] * count < PARALLEL_ABOVE_NANOS);
        long t0 = System.nanoTime();
        if (inline) {
            task.run(from, to);
        } else {
            int chunks = threads * 4;
            int grain = Math.max(1, (count + chunks - 1) / chunks);
            pool.invoke(new Split(task, from, to, grain));
        }
        // Per-query cost as one thread sees it (a parallel launch did threads' worth of work).
        double perQuery = (double) (System.nanoTime() - t0) * (inline ? 1 : threads) / count;
        cost[0] = Double.isNaN(cost[0]) ? perQuery : 0.8 * cost[0] + 0.2 * perQuery;
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
        closed = true;
        if (pool != null) pool.shutdownNow();
    }
}
