package io.autospec.diffusion;

/**
 * A target mu on R^d reachable through its denoiser (conditional-mean oracle):
 * f(t, x) = E[Y | Y + g = x / t], Y ~ mu, g ~ N(0, I / t). At t = 0 it is E[Y].
 * Queries arrive batched in a {@link DriftBatch}: query j asks for f(time(j), point j).
 *
 * <p>Implementations must be thread-safe: the CPU backend calls {@link #denoise} concurrently on
 * disjoint query ranges. They should not allocate per query.
 */
public interface Denoiser {

    /** {@return d, the dimension} */
    int dimension();

    /**
     * A short description for reports and error messages. The default names the class and the
     * dimension, e.g. "MyDenoiser(d=2)", or "MyTest$1(d=2)" for an anonymous class.
     */
    default String describe() {
        return io.autospec.internal.util.ClassNames.of(this) + "(d=" + dimension() + ")";
    }

    /** {@return rough cost of one query in units of d multiply-adds (used to size CPU work chunks)} */
    default int costPerQuery() {
        return 1;
    }

    /**
     * For each query j in [from, to): writes f(batch.time(j), batch point j) into
     * {@code out[j * d .. j * d + d)}.
     *
     * @param batch the round's queries
     * @param from  first query to answer
     * @param to    end of the range (exclusive)
     * @param out   the output buffer, d entries per query of the batch
     */
    void denoise(DriftQueries batch, int from, int to, double[] out);

    // --- learned denoisers: see io.autospec.ar.ConditionalOracle's methods of the same names ---

    /**
     * Whether {@link #denoise} must see a whole launch in one call: a network that answers a launch's
     * queries with batched forward passes (and parallelises them itself) would lose its batch if a
     * backend split the range over threads. Such a denoiser is called once per launch, on the calling
     * thread; it need not be thread-safe.
     *
     * @return true for a denoiser that needs each launch whole (default false)
     */
    default boolean wholeLaunch() {
        return false;
    }

    /**
     * Network rows evaluated so far, for learned denoisers; 0 for others. A run reports the difference.
     *
     * @return rows evaluated since the denoiser was built
     */
    default long forwardRows() {
        return 0;
    }
}
