package io.autospec.core;

import java.util.ArrayList;
import java.util.List;

/**
 * The bulk-synchronous round loop. A <b>round</b> is one barrier: every request issued by every live
 * node of every sample is gathered, evaluated (in launches of at most the capacity), validated, and
 * delivered in request order; the continuations then advance every node as far as it can without
 * new oracle data, issuing the requests of the next round. A large round is built and evaluated in
 * capacity-sized pieces, so the capacity also bounds the memory of its query and output buffers.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class RoundScheduler<B extends QueryBatch> {
    private final B batch;
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
    public RoundScheduler(B batch, int capacity, RunMetrics metrics, RoundListener listener) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.batch = batch;
        this.capacity = capacity;
        this.metrics = metrics;
        this.listener = listener;
    }

    /** The metrics this scheduler records into. */
    public RunMetrics metrics() {
        return metrics;
    }

    /** Records the run's sample count, each finished sample and the wall time (for the run driver). */
    public void recordSamples(int samples, int firstSampleId) {
        metrics.recordSamples(samples, firstSampleId);
    }

    /** Progress of a strategy outside this package: sample {@code sampleId} has drawn steps [0, step) of {@code length} for good. */
    public void recordReached(int sampleId, int step, int length) {
        metrics.reached(sampleId, step, length);
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

    /**
     * A round a backend ran on its own device ({@link DeviceRounds}): one barrier,
     * one launch of {@code queries} queries, recorded and reported to the listener as a round of
     * {@link #run} is.
     */
    public void recordDeviceRound(long queries) {
        metrics.recordResidentRound();
        metrics.recordRoundStart();
        metrics.recordLaunch();
        metrics.recordPiece(queries);
        metrics.recordRoundQueries(queries);
        if (listener != null) listener.afterRound(metrics);
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
        int live = 0;
        for (int i = 0; i < round.size(); i++) {
            OracleRequest<B> r = round.get(i);
            if (r.scope().isCancelled()) {
                metrics.recordCancelledRequest();
                round.set(i, null);
            } else {
                live++;
            }
        }
        if (live == 0) return; // everything was cancelled: no barrier happened
        metrics.recordRoundStart();
        // The round is built and evaluated in pieces of whole requests holding about `capacity`
        // queries (one request may overrun it), so its buffers stay O(capacity) however many queries
        // the round has. Delivering a piece before the next is built is safe: whatever the
        // continuations submit goes to the next round, and requests read only immutable prefixes.
        // A request cancelled by an earlier piece's delivery is still evaluated (its results are
        // dropped), so queries do not depend on the capacity.
        long total = 0;
        int i = 0;
        while (i < round.size()) {
            batch.clear();
            int from = i;
            for (; i < round.size() && batch.size() < capacity; i++) {
                OracleRequest<B> r = round.get(i);
                if (r == null) continue;
                int first = batch.size();
                r.write(batch);
                ensureSlots(i + 1);
                firsts[i] = first;
                counts[i] = batch.size() - first;
            }
            int size = batch.size();
            for (int a = 0; a < size; a += capacity) {
                int b = (int) Math.min((long) a + capacity, size);
                batch.launch(a, b);
                metrics.recordLaunch();
                batch.validate(a, b);
            }
            total += size;
            metrics.recordPiece(size);
            for (int k = from; k < i; k++) {
                OracleRequest<B> r = round.get(k);
                if (r == null) continue;
                // A decision earlier in this delivery may have cancelled r: its results are dropped.
                if (r.scope().isCancelled()) continue;
                r.deliver(batch, firsts[k], counts[k]);
            }
        }
        batch.clear();
        metrics.recordRoundQueries(total);
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
