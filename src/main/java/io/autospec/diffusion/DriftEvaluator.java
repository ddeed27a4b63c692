package io.autospec.diffusion;

/**
 * Evaluates a batch of drift queries: what a {@link DriftBatch} is given when it is built
 * (a {@code Backend} is one, on CPU threads or a device).
 */
@FunctionalInterface
public interface DriftEvaluator {
    /** Fills {@code batch.out()} for queries [from, to) with the denoiser's drifts f(t, x). */
    void drifts(Denoiser denoiser, DriftBatch batch, int from, int to);

    /** The denoiser itself on the calling thread (tests, benchmarks). */
    DriftEvaluator INLINE = (denoiser, batch, from, to) -> denoiser.denoise(batch, from, to, batch.out());
}
