package io.autospec.ar;

/**
 * Evaluates a batch of conditional-marginal queries: what a {@link ConditionalBatch} is given when
 * it is built (a {@code Backend} is one, on CPU threads or a device).
 */
@FunctionalInterface
public interface ConditionalEvaluator {
    /** Fills {@code batch.out()} for queries [from, to) with the oracle's conditional marginals. */
    void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to);

    /** The oracle itself on the calling thread (tests, benchmarks). */
    ConditionalEvaluator INLINE = (oracle, batch, from, to) -> oracle.conditionals(batch, from, to, batch.out());
}
