package io.autospec.backend;

import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalEvaluator;
import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;
import io.autospec.diffusion.DriftEvaluator;

/**
 * Evaluates one launch of a round's batch: a contiguous range of queries, all at once. The CPU
 * backend spreads the range over threads; the CUDA backend runs kernels. Backends own native
 * resources and are closed after the run.
 */
public interface Backend extends ConditionalEvaluator, DriftEvaluator, AutoCloseable {

    /** {@return "cpu" or "cuda"} */
    String name();

    /** {@return a one-line description for reports (threads, device...)} */
    String describe();

    /**
     * Fills {@code batch.out()} for queries [from, to) with the oracle's conditional marginals, as the
     * oracle gives them. A round's launch calls {@link #validatedConditionals}, where a backend may
     * also validate and normalise the rows (the CUDA backend does, on the device).
     */
    @Override
    void conditionals(ConditionalOracle oracle, ConditionalBatch batch, int from, int to);

    /** Fills {@code batch.out()} for queries [from, to) with the denoiser's drifts f(t, x). */
    @Override
    void drifts(Denoiser denoiser, DriftBatch batch, int from, int to);

    @Override
    void close();
}
