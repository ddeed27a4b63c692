package io.autospec.core;

/** Observes a run round by round (progress display, tracing). Called on the scheduler thread. */
@FunctionalInterface
public interface RoundListener {
    /**
     * Called after each round's results have been delivered.
     *
     * @param metrics the run's metrics so far (read-only)
     */
    void afterRound(RunMetrics metrics);
}
