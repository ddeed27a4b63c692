package io.autospec.spi;

/**
 * What a strategy records while it draws, so that reports and progress bars see every strategy alike.
 * The run's metrics ({@code core.RunMetrics}) implement it and are handed to
 * {@code ChainStrategy.sample}; the round scheduler records rounds, launches and queries itself, so a
 * strategy records only what it alone knows: how far each chain got and what its speculations did.
 * A strategy that records nothing still runs (its run reports no progress and no speculation counts).
 */
public interface Progress {

    /**
     * Sample {@code sample}'s chain has drawn steps [0, {@code step}) of {@code length}: call it where a
     * step or span starts and when the sample is done ({@code step == length}). Progress never goes back.
     *
     * @param sample the sample's id ({@code Node.sample()})
     * @param step   steps drawn on this chain, 0 to {@code length}
     * @param length the run's steps a sample
     */
    void reached(int sample, int step, int length);

    /**
     * A speculation over a span of {@code span} steps at recursion depth {@code depth} was tested.
     *
     * @param depth       the node's depth ({@code Node.depth()})
     * @param span        steps in the span, at least 1
     * @param wasAccepted whether the draft was accepted
     */
    void speculation(int depth, int span, boolean wasAccepted);

    /** A fallback (the draws after a rejected speculation) started at recursion depth {@code depth}. */
    void fallback(int depth);

    /** A fallback trial started at recursion depth {@code depth}. */
    void trialStarted(int depth);

    /** A fallback at recursion depth {@code depth} decided on one of its trials. */
    void trialAccepted(int depth);
}
