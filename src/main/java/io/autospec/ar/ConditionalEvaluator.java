package io.autospec.ar;

/**
 * Evaluates a batch of conditional-marginal queries: what a {@link ConditionalBatch} is given when
 * it is built (a {@code Backend} is one, on CPU threads or a device).
 */
@FunctionalInterface
public interface ConditionalEvaluator {
    /** Fills {@code batch.out()} for queries [from, to) with the oracle's conditional marginals. */
    void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to);

    /**
     * What a round's launch calls: {@link #conditionals}, and, for an evaluator that can, the batch's
     * validation and normalisation of those rows as well, reported to the batch
     * ({@link ConditionalBatch#validated}, {@link ConditionalBatch#rejected}); rows it does not report
     * are validated by the batch on the host. The default validates nothing.
     */
    default void validatedConditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to) {
        conditionals(oracle, batch, from, to);
    }

    /** The oracle itself on the calling thread (tests, benchmarks). */
    ConditionalEvaluator INLINE = (oracle, batch, from, to) -> oracle.conditionals(batch, from, to, batch.out());
}
