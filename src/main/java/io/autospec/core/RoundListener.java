package io.autospec.core;

/** Observes a run round by round (progress display, tracing). Called on the scheduler thread. */
@FunctionalInterface
public interface RoundListener {
    /** Called after each round's results have been delivered. */
    void afterRound(RunMetrics metrics);
}
