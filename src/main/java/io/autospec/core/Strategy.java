package io.autospec.core;

/**
 * How a sample is drawn: a per-sample routine over oracle rounds. All strategies of a run share one
 * {@link RoundScheduler}, so their requests are batched together.
 */
public interface Strategy {

    /** Short name used in reports ("sequential", "speculative", "token", "picard"). */
    String name();

    /** True when the strategy samples the target law exactly (Picard iteration does not). */
    default boolean exact() {
        return true;
    }

    /** Settings as name/value pairs, for reports. */
    java.util.Map<String, Object> settings();

    /** Starts drawing one sample; the result is the state after all steps. */
    <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics);
}
