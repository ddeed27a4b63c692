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

    /** n, the number of positions. */
    int length();

    /** q, the alphabet size; values are 0..q-1. */
    int alphabet();

    /** A short description for reports, e.g. "markov(q=2, stay=0.9)". */
    default String describe() {
        return getClass().getSimpleName();
    }

    /**
     * For each query j in [from, to): writes mu(X_{position(j)} = v | pinned context) into
     * {@code out[j * q + v]} for v in 0..q-1. If the pinned context itself has probability zero under
     * mu, the conditional is undefined: write q zeros (preferred) or any probability vector. Such a
     * context only arises after a value of zero mass, whose log-density is already -infinity, so
     * its output is never used. Anything else must be a probability vector.
     */
    void conditionals(ConditionalBatch batch, int from, int to, double[] out);

    /** An optional running summary kept with every branch (see {@link PrefixSummary}). */
    default PrefixSummary prefixSummary() {
        return null;
    }

    /**
     * Whether {@link #conditionals} must see a whole launch in one call: a network that answers a
     * launch's queries with one batched forward pass (and parallelises it itself) would lose its batch
     * if a backend split the range over threads. Such an oracle is called once per launch, on the
     * calling thread; it need not be thread-safe.
     */
    default boolean wholeLaunch() {
        return false;
    }

    /**
     * Network rows evaluated so far, for oracles that answer several queries with one row of a
     * batched forward pass (a learned model); 0 for others. A run reports the difference.
     */
    default long forwardRows() {
        return 0;
    }

    /** Optional per-order precomputation, available to queries as {@code order.attachment()}. */
    default Object prepare(Order order) {
        return null;
    }
}
