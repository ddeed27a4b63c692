package io.autospec.backend;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;

/**
 * Evaluates one launch of a round's batch: a contiguous range of queries, all at once. The CPU
 * backend spreads the range over threads; the CUDA backend runs kernels. Backends own native
 * resources and are closed after the run.
 */
public interface Backend extends AutoCloseable {

    /** {@return "cpu" or "cuda"} */
    String name();

    /** {@return a one-line description for reports (threads, device...)} */
    String describe();

    /** Fills {@code batch.out()} for queries [from, to) with the oracle's conditional marginals. */
    void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to);

    /** Fills {@code batch.out()} for queries [from, to) with the denoiser's drifts f(t, x). */
    void drifts(Denoiser denoiser, DriftBatch batch, int from, int to);

    @Override
    void close();
}
