package io.autospec.core;

import java.util.Arrays;

/**
 * What a run cost. Figures are for the whole run (all samples drawn in the same rounds).
 * <ul>
 *   <li>{@code rounds}: barriers of batched oracle work;</li>
 *   <li>{@code launches}: batched evaluations (a round splits into several when it exceeds the capacity);</li>
 *   <li>{@code queries}: oracle queries evaluated (conditional marginals or drifts);</li>
 *   <li>per recursion depth: speculations tried and accepted; fallbacks and trials;</li>
 *   <li>a histogram of round sizes (queries per round, in powers of two).</li>
 * </ul>
 */
public final class RunMetrics {
    public long rounds;
    public long launches;
    public long queries;
    public int samples;
    /** Samples finished so far (for progress displays). */
    public int samplesDone;
    public double wallSeconds;
    public long cancelledRequests;
    public long maxRoundQueries;
    /** Most queries evaluated in one piece of a round (a round is built and evaluated in pieces of about the capacity). */
    public long maxPieceQueries;
    /** Peak of the steps covered by running fallback trials, over the whole run (the trial budget bounds it). */
    public long peakTrialSteps;
    /** Peak number of running fallback trials, over the whole run. */
    public long peakTrials;
    /** Times a trial could not start for lack of trial budget (it waited for running trials to end). */
    public long trialWaits;

    /** The run's trial budget, shared by every fallback of every sample (made by the first one). */
    TrialBudget trialBudget;

    /** histogram[b] = number of rounds with a batch of [2^b, 2^(b+1)) queries. */
    private final long[] roundSizeHistogram = new long[33];

    private long[] speculations = new long[0];
    private long[] accepted = new long[0];
    private long[] fallbacks = new long[0];
    private long[] trialsStarted = new long[0];
    private long[] trialsAccepted = new long[0];
    private long[] minSpan = new long[0];
    private long[] maxSpan = new long[0];

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

    /** A speculation over a span of {@code span} steps at recursion depth {@code depth} was tested. */
    public void speculation(int depth, int span, boolean wasAccepted) {
        grow(depth);
        speculations[depth]++;
        if (wasAccepted) accepted[depth]++;
        if (minSpan[depth] == 0 || span < minSpan[depth]) minSpan[depth] = span;
        if (span > maxSpan[depth]) maxSpan[depth] = span;
    }

    /** A fallback started at {@code depth}. */
    public void fallback(int depth) {
        grow(depth);
        fallbacks[depth]++;
    }

    /** A fallback trial was started at {@code depth}. */
    public void trialStarted(int depth) {
        grow(depth);
        trialsStarted[depth]++;
    }

    /** A fallback at {@code depth} decided on a trial. */
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

    /** Deepest recursion level with any activity, plus one. */
    public int levels() {
        int n = 0;
        for (int d = 0; d < speculations.length; d++) {
            if (speculations[d] + fallbacks[d] + trialsStarted[d] > 0) n = d + 1;
        }
        return n;
    }

    public long speculations(int depth) {
        return depth < speculations.length ? speculations[depth] : 0;
    }

    public long accepted(int depth) {
        return depth < accepted.length ? accepted[depth] : 0;
    }

    public long fallbacks(int depth) {
        return depth < fallbacks.length ? fallbacks[depth] : 0;
    }

    public long trialsStarted(int depth) {
        return depth < trialsStarted.length ? trialsStarted[depth] : 0;
    }

    public long trialsAccepted(int depth) {
        return depth < trialsAccepted.length ? trialsAccepted[depth] : 0;
    }

    /** Smallest / largest span tested at a depth (0 when none). */
    public long minSpan(int depth) {
        return depth < minSpan.length ? minSpan[depth] : 0;
    }

    public long maxSpan(int depth) {
        return depth < maxSpan.length ? maxSpan[depth] : 0;
    }

    public long totalSpeculations() {
        return Arrays.stream(speculations).sum();
    }

    public long totalAccepted() {
        return Arrays.stream(accepted).sum();
    }

    public long totalTrials() {
        return Arrays.stream(trialsStarted).sum();
    }

    /** Copy of the round-size histogram (index b: rounds with [2^b, 2^(b+1)) queries). */
    public long[] roundSizeHistogram() {
        int last = roundSizeHistogram.length;
        while (last > 0 && roundSizeHistogram[last - 1] == 0) last--;
        return Arrays.copyOf(roundSizeHistogram, last);
    }

    /** One line: rounds, launches, queries, wall time. */
    public String summary() {
        return String.format("%d sample%s in %d rounds (%d launches), %d queries (%.1f per sample), %.3f s",
                samples, samples == 1 ? "" : "s", rounds, launches, queries,
                samples == 0 ? 0.0 : (double) queries / samples, wallSeconds);
    }
}
