package io.autospec.core;

import io.autospec.backend.Backend;
import java.util.ArrayList;
import java.util.List;

/**
 * The bulk-synchronous round loop. A <b>round</b> is one barrier: every request issued by every live
 * node of every sample is gathered, evaluated in one batch (several launches when the batch exceeds
 * the capacity), validated, and delivered in request order; the continuations then advance every
 * node as far as it can without new oracle data, issuing the requests of the next round.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class RoundScheduler<B extends QueryBatch> {
    private final B batch;
    private final Backend backend;
    private final int capacity;
    private final RunMetrics metrics;
    private final RoundListener listener;

    private List<OracleRequest<B>> pending = new ArrayList<>();
    private List<OracleRequest<B>> current = new ArrayList<>();
    private int[] firsts = new int[64];
    private int[] counts = new int[64];

    /**
     * @param capacity the most queries one launch may evaluate ({@code Integer.MAX_VALUE}: unlimited)
     */
    public RoundScheduler(B batch, Backend backend, int capacity, RunMetrics metrics, RoundListener listener) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.batch = batch;
        this.backend = backend;
        this.capacity = capacity;
        this.metrics = metrics;
        this.listener = listener;
    }

    /** The metrics this scheduler records into. */
    public RunMetrics metrics() {
        return metrics;
    }

    /** Records the run's sample count, each finished sample and the wall time (for the run driver). */
    public void recordSamples(int samples) {
        metrics.recordSamples(samples);
    }

    /** A sample finished (progress displays read {@link RunMetrics#samplesDone()}). */
    public void recordSampleDone() {
        metrics.recordSampleDone();
    }

    /** The run's wall-clock time. */
    public void recordWallSeconds(double seconds) {
        metrics.recordWallSeconds(seconds);
    }

    /** Rows of batched forward passes the oracle evaluated during the run (learned oracles). */
    public void recordForwardRows(long rows) {
        metrics.recordForwardRows(rows);
    }

    /** Queues a request for the next round. */
    public void submit(OracleRequest<B> request) {
        pending.add(request);
    }

    /** Runs rounds until no request is pending. */
    public void run() {
        while (!pending.isEmpty()) {
            List<OracleRequest<B>> round = pending;
            pending = current;
            current = round;
            pending.clear();
            runRound(round);
            round.clear();
        }
    }

    private void runRound(List<OracleRequest<B>> round) {
        batch.clear();
        int live = 0;
        for (int i = 0; i < round.size(); i++) {
            OracleRequest<B> r = round.get(i);
            if (r.scope().isCancelled()) {
                metrics.recordCancelledRequest();
                round.set(i, null);
                continue;
            }
            int first = batch.size();
            r.write(batch);
            ensureSlots(i + 1);
            firsts[i] = first;
            counts[i] = batch.size() - first;
            live++;
        }
        if (live == 0) return; // everything was cancelled: no barrier happened
        int size = batch.size();
        metrics.recordRound(size);
        for (int from = 0; from < size; from += capacity) {
            int to = (int) Math.min((long) from + capacity, size);
            batch.launch(backend, from, to);
            metrics.recordLaunch();
            batch.validate(from, to);
        }
        for (int i = 0; i < round.size(); i++) {
            OracleRequest<B> r = round.get(i);
            if (r == null) continue;
            // A decision earlier in this delivery may have cancelled r: its results are dropped.
            if (r.scope().isCancelled()) continue;
            r.deliver(batch, firsts[i], counts[i]);
        }
        if (listener != null) listener.afterRound(metrics);
    }

    private void ensureSlots(int n) {
        if (n > firsts.length) {
            int len = Math.max(n, firsts.length * 2);
            firsts = java.util.Arrays.copyOf(firsts, len);
            counts = java.util.Arrays.copyOf(counts, len);
        }
    }
}
