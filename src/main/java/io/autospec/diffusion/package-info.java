/**
 * Diffusion models (stochastic localization). <b>API</b>: the denoiser interface
 * ({@link io.autospec.diffusion.Denoiser}) and the read-only view of a round's queries it is handed
 * ({@link io.autospec.diffusion.DriftQueries}), time schedules ({@link io.autospec.diffusion.Schedule}),
 * the backend SPI's diffusion half ({@link io.autospec.diffusion.DriftEvaluator}) and Picard iteration
 * ({@link io.autospec.diffusion.PicardSampler}). <b>Internal</b>:
 * {@link io.autospec.diffusion.DiffusionProcess}, {@link io.autospec.diffusion.PathSegment} and
 * {@link io.autospec.diffusion.DriftBatch}'s mutators, which the engine and the backends use.
 */
package io.autospec.diffusion;
