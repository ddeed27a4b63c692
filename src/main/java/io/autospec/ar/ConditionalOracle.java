package io.autospec.ar;

/**
 * A target mu on [q]^n reachable through its conditional marginals ("BERT-style" oracle):
 * mu(X_i = . | X_S = x_S) for any position i and pinned set S. Queries arrive batched in the compact
 * layout of {@link ConditionalBatch}: query j asks for the law of position {@code position(j)} given
 * the values its branch pins at steps 0..pinned(j)-1.
 *
 * <p>Implementations must be thread-safe: the CPU backend calls {@link #conditionals} concurrently
 * on disjoint query ranges. They should not allocate per query.
 */
public interface ConditionalOracle {

    /** {@return n, the number of positions} */
    int length();

    /** {@return q, the alphabet size; values are 0..q-1} */
    int alphabet();

    /**
     * A short description for reports and error messages, e.g. "markov(n=4096, q=2, stay=0.9)". The
     * default names the class and the shape, e.g. "MyModel(n=64, q=4)", or "MyTest$1(n=64, q=4)" for
     * an anonymous class.
     */
    default String describe() {
        return io.autospec.internal.util.ClassNames.of(this) + "(n=" + length() + ", q=" + alphabet() + ")";
    }

    /**
     * For each query j in [from, to): writes mu(X_{position(j)} = v | pinned context) into
     * {@code out[j * q + v]} for v in 0..q-1. If the pinned context itself has probability zero under
     * mu, the conditional is undefined: write q zeros (preferred) or any probability vector. Such a
     * context only arises after a value of zero mass, whose log-density is already -infinity, so
     * its output is never used. Anything else must be a probability vector (see
     * {@link ConditionalBatch#NORMALISATION_TOLERANCE}). {@link PinnedContext} reads a query's pinned
     * values without allocating.
     *
     * @param batch the round's queries
     * @param from  first query to answer
     * @param to    end of the range (exclusive)
     * @param out   the output buffer, q entries per query of the batch
     */
    void conditionals(ConditionalQueries batch, int from, int to, double[] out);

    /**
     * True for a model sampled in the forced order 0, 1, ..., n-1 (a left-to-right model); false (the
     * default) for any-order sampling along a uniformly random order.
     */
    default boolean leftToRight() {
        return false;
    }

    /** {@return an optional running summary kept with every branch (see {@link PrefixSummary})} */
    default PrefixSummary prefixSummary() {
        return null;
    }

    /**
     * Whether {@link #conditionals} must see a whole launch in one call: a network that answers a
     * launch's queries with one batched forward pass (and parallelises it itself) would lose its batch
     * if a backend split the range over threads. Such an oracle is called once per launch, on the
     * calling thread; it need not be thread-safe.
     *
     * @return true for an oracle that needs each launch whole (default false)
     */
    default boolean wholeLaunch() {
        return false;
    }

    /**
     * Network rows evaluated so far, for oracles that answer several queries with one row of a
     * batched forward pass (a learned model); 0 for others. A run reports the difference.
     *
     * @return rows evaluated since the oracle was built
     */
    default long forwardRows() {
        return 0;
    }

    /**
     * Optional per-order precomputation, available to queries as {@code order.attachment()}.
     *
     * @param order a sample's order, before its first query
     * @return the attachment (default: null)
     */
    default Object prepare(Order order) {
        return null;
    }
}
