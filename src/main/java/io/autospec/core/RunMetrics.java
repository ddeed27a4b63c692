package io.autospec.core;

import io.autospec.spi.Progress;
import java.util.Arrays;

/**
 * What a run cost. Figures are for the whole run (all samples drawn in the same rounds).
 * <ul>
 *   <li>{@link #rounds()}: barriers of batched oracle work;</li>
 *   <li>{@link #launches()}: batched evaluations (a round splits into several when it exceeds the capacity);</li>
 *   <li>{@link #queries()}: oracle queries evaluated (conditional marginals or drifts);</li>
 *   <li>{@link #forwardRows()}: rows of batched forward passes, for learned oracles that answer all
 *       queries sharing a context with one row (0 otherwise);</li>
 *   <li>per recursion depth: speculations tried and accepted; fallbacks and trials;</li>
 *   <li>a histogram of round sizes (queries per round, in powers of two).</li>
 * </ul>
 * Read-only to callers. The round scheduler records rounds, launches and queries; strategies record
 * their progress and speculations through the {@link Progress} methods (the run hands its metrics to
 * {@code ChainStrategy.sample}).
 */
public final class RunMetrics implements Progress {
    private long rounds;
    private long residentRounds;
    private long launches;
    private long queries;
    private long forwardRows;
    private int samples;
    private int samplesDone;
    private double wallSeconds;
    private long cancelledRequests;
    private long maxRoundQueries;
    // Memory figures, recorded by the scheduler and the run's TrialBudget (same package).
    long maxPieceQueries;
    long peakTrialSteps;
    long peakTrials;
    long trialWaits;
    /** The run's trial budget, shared by every fallback of every sample (made by the first one). */
    TrialBudget trialBudget;

    /** Empty metrics (every count zero). */
    public RunMetrics() {}

    /** {@return rounds: barriers of batched oracle work, for all samples together} */
    public long rounds() {
        return rounds;
    }

    /** {@return launches: batched evaluations (more than the rounds when a round exceeds the capacity)} */
    public long launches() {
        return launches;
    }

    /** {@return oracle queries evaluated (conditional marginals or drifts)} */
    public long queries() {
        return queries;
    }

    /** {@return rows of batched forward passes (learned oracles answering a context with one row; 0 otherwise)} */
    public long forwardRows() {
        return forwardRows;
    }

    /** {@return samples the run draws} */
    public int samples() {
        return samples;
    }

    /** {@return samples finished so far (for progress displays)} */
    public int samplesDone() {
        return samplesDone;
    }

    /** {@return wall-clock seconds of the whole run (0 until it ends)} */
    public double wallSeconds() {
        return wallSeconds;
    }

    /** {@return oracle requests dropped before evaluation because their trial had been cancelled} */
    public long cancelledRequests() {
        return cancelledRequests;
    }

    /** {@return the largest number of queries in one round} */
    public long maxRoundQueries() {
        return maxRoundQueries;
    }

    /** {@return the most queries evaluated in one piece of a round (a round is built and evaluated in pieces of about the capacity)} */
    public long maxPieceQueries() {
        return maxPieceQueries;
    }

    /** {@return the peak of the steps covered by running fallback trials over the whole run (the trial budget bounds it)} */
    public long peakTrialSteps() {
        return peakTrialSteps;
    }

    /** {@return the peak number of running fallback trials over the whole run} */
    public long peakTrials() {
        return peakTrials;
    }

    /** {@return times a trial could not start for lack of trial budget (it waited for running trials to end)} */
    public long trialWaits() {
        return trialWaits;
    }

    // ---- recording: package-private, used by RoundScheduler and the strategies ----

    /** {@return the rounds a backend ran with the samples' state on its device (see RoundScheduler#recordDeviceRound)} */
    public long residentRounds() {
        return residentRounds;
    }

    void recordResidentRound() {
        residentRounds++;
    }

    void recordRoundStart() {
        rounds++;
    }

    void recordRoundQueries(long total) {
        queries += total;
        recordBatch(total);
    }

    void recordPiece(long size) {
        if (size > maxPieceQueries) maxPieceQueries = size;
    }

    void recordLaunch() {
        launches++;
    }

    void recordCancelledRequest() {
        cancelledRequests++;
    }

    void recordSamples(int samples, int firstSampleId) {
        this.samples = samples;
        this.firstSampleId = firstSampleId;
    }

    void recordSampleDone() {
        samplesDone++;
    }

    void recordForwardRows(long rows) {
        forwardRows = rows;
    }

    void recordWallSeconds(double seconds) {
        wallSeconds = seconds;
    }

    /** histogram[b] = number of rounds with a batch of [2^b, 2^(b+1)) queries. */
    private final long[] roundSizeHistogram = new long[33];

    private long[] speculations = new long[0];
    private long[] accepted = new long[0];
    private long[] fallbacks = new long[0];
    private long[] trialsStarted = new long[0];
    private long[] trialsAccepted = new long[0];
    private long[] minSpan = new long[0];
    private long[] maxSpan = new long[0];

    /** Per sample: the furthest step any of its chains has reached (steps before it are drawn on that chain). */
    private int[] reached = new int[0];
    private int firstSampleId;
    private long reachedTotal;
    private int stepsPerSample;

    @Override
    public void reached(int sampleId, int step, int length) {
        int sample = sampleId - firstSampleId; // a run may draw ids [first, first + samples)
        if (sample < 0 || step < 0 || step > length) {
            throw new IllegalArgumentException("progress of sample " + sampleId + " at step " + step + " of " + length
                    + " is out of range (this run draws samples from " + firstSampleId + ")");
        }
        stepsPerSample = length;
        if (sample >= reached.length) reached = Arrays.copyOf(reached, Math.max(sample + 1, Math.max(samples, 2 * reached.length)));
        if (step > reached[sample]) {
            reachedTotal += step - reached[sample];
            reached[sample] = step;
        }
    }

    /**
     * Progress in a unit that advances during a run: the sum over samples of the furthest step any
     * chain of the sample has drawn. For the sequential strategy these steps are final; for the
     * speculative one a chain's steps are final unless a pending acceptance test rejects the chain; for
     * token windows, jacobi and auto they are the accepted or certified steps, final. 0 for strategies
     * that do not report it (picard).
     */
    public long stepsReached() {
        return reachedTotal;
    }

    /** The value {@link #stepsReached()} has when every sample is done (0 if not reported). */
    public long stepsTotal() {
        return (long) stepsPerSample * samples;
    }

    TrialBudget trialBudget(long limit) {
        if (trialBudget == null || trialBudget.limit() != limit) {
            if (trialBudget != null) throw new IllegalStateException("one run, one trial budget");
            trialBudget = new TrialBudget(limit, this);
        }
        return trialBudget;
    }

    void recordBatch(long size) {
        if (size > maxRoundQueries) maxRoundQueries = size;
        roundSizeHistogram[Math.min(32, 63 - Long.numberOfLeadingZeros(Math.max(1, size)))]++;
    }

    @Override
    public void speculation(int depth, int span, boolean wasAccepted) {
        grow(depth);
        speculations[depth]++;
        if (wasAccepted) accepted[depth]++;
        if (minSpan[depth] == 0 || span < minSpan[depth]) minSpan[depth] = span;
        if (span > maxSpan[depth]) maxSpan[depth] = span;
    }

    @Override
    public void fallback(int depth) {
        grow(depth);
        fallbacks[depth]++;
    }

    @Override
    public void trialStarted(int depth) {
        grow(depth);
        trialsStarted[depth]++;
    }

    @Override
    public void trialAccepted(int depth) {
        grow(depth);
        trialsAccepted[depth]++;
    }

    private void grow(int depth) {
        if (depth >= speculations.length) {
            int len = Math.max(depth + 1, speculations.length * 2);
            speculations = Arrays.copyOf(speculations, len);
            accepted = Arrays.copyOf(accepted, len);
            fallbacks = Arrays.copyOf(fallbacks, len);
            trialsStarted = Arrays.copyOf(trialsStarted, len);
            trialsAccepted = Arrays.copyOf(trialsAccepted, len);
            minSpan = Arrays.copyOf(minSpan, len);
            maxSpan = Arrays.copyOf(maxSpan, len);
        }
    }

    /** {@return deepest recursion level with any activity, plus one} */
    public int levels() {
        int n = 0;
        for (int d = 0; d < speculations.length; d++) {
            if (speculations[d] + fallbacks[d] + trialsStarted[d] > 0) n = d + 1;
        }
        return n;
    }

    /**
     * {@return speculations tested at a recursion depth}
     *
     * @param depth the recursion depth (0: the whole span)
     */
    public long speculations(int depth) {
        return depth < speculations.length ? speculations[depth] : 0;
    }

    /**
     * {@return speculations accepted at a depth}
     *
     * @param depth the recursion depth (0: the whole span)
     */
    public long accepted(int depth) {
        return depth < accepted.length ? accepted[depth] : 0;
    }

    /**
     * {@return fallbacks started at a depth}
     *
     * @param depth the recursion depth (0: the whole span)
     */
    public long fallbacks(int depth) {
        return depth < fallbacks.length ? fallbacks[depth] : 0;
    }

    /**
     * {@return fallback trials started at a depth}
     *
     * @param depth the recursion depth (0: the whole span)
     */
    public long trialsStarted(int depth) {
        return depth < trialsStarted.length ? trialsStarted[depth] : 0;
    }

    /**
     * {@return fallbacks at a depth that decided on a trial}
     *
     * @param depth the recursion depth (0: the whole span)
     */
    public long trialsAccepted(int depth) {
        return depth < trialsAccepted.length ? trialsAccepted[depth] : 0;
    }

    /**
     * {@return the smallest span tested at a depth (0 when none)}
     *
     * @param depth the recursion depth (0: the whole span)
     */
    public long minSpan(int depth) {
        return depth < minSpan.length ? minSpan[depth] : 0;
    }

    /**
     * {@return largest span tested at a depth (0 when none)}
     *
     * @param depth the recursion depth (0: the whole span)
     */
    public long maxSpan(int depth) {
        return depth < maxSpan.length ? maxSpan[depth] : 0;
    }

    /** {@return speculations tested, all depths} */
    public long totalSpeculations() {
        return Arrays.stream(speculations).sum();
    }

    /** {@return speculations accepted, all depths} */
    public long totalAccepted() {
        return Arrays.stream(accepted).sum();
    }

    /** {@return fallback trials started, all depths} */
    public long totalTrials() {
        return Arrays.stream(trialsStarted).sum();
    }

    /** {@return copy of the round-size histogram (index b: rounds with [2^b, 2^(b+1)) queries)} */
    public long[] roundSizeHistogram() {
        int last = roundSizeHistogram.length;
        while (last > 0 && roundSizeHistogram[last - 1] == 0) last--;
        return Arrays.copyOf(roundSizeHistogram, last);
    }

    /** {@return one line: rounds, launches, queries (and forward rows), wall time} */
    public String summary() {
        String rows = forwardRows == 0 ? "" : String.format(", %d forward rows (%.1f per sample)", forwardRows,
                samples == 0 ? 0.0 : (double) forwardRows / samples);
        return String.format("%d sample%s in %d rounds (%d launches), %d queries (%.1f per sample)%s, %.3f s",
                samples, samples == 1 ? "" : "s", rounds, launches, queries,
                samples == 0 ? 0.0 : (double) queries / samples, rows, wallSeconds);
    }
}
