package io.autospec.core;

/**
 * One round's oracle queries, laid out for batched evaluation, with room for their outputs.
 * Concrete layouts: {@code ConditionalBatch} (any-order AR) and {@code DriftBatch} (diffusion).
 * Buffers are reused from round to round.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public abstract class QueryBatch {

    /** {@return number of queries written so far this round} */
    public abstract int size();

    /** Forgets this round's queries (keeps the buffers). */
    protected abstract void clear();

    /** Evaluates queries [from, to) with the evaluator the batch was built with: one launch. */
    protected abstract void launch(int from, int to);

    /**
     * Checks the oracle's outputs for queries [from, to) and throws {@link OracleException} naming
     * the first bad query.
     */
    protected abstract void validate(int from, int to);
}
