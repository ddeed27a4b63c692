package io.autospec.diffusion;

/**
 * What a denoiser sees of a round's batch: the read-only view of the queries it answers
 * ({@link Denoiser#denoise}), B pairs (t, x in R^d). The engine fills and clears the batch
 * ({@link DriftBatch}); a denoiser only reads it and writes its drifts to the {@code out} array it is
 * given.
 */
public interface DriftQueries {
    /** {@return the number of queries in the batch} */
    int size();

    /** {@return d, the dimension of each point} */
    int dimension();

    /** {@return t of query j} */
    double time(int j);

    /**
     * {@return the points, d values per query (query j at offset j * d)}: the batch's own array,
     * returned without a copy for speed; read it, never write it.
     */
    double[] points();

    /** {@return "query #j (sample s, step i, t = ...)"}, for error messages */
    String describe(int j);
}
