/**
 * Diffusion models (stochastic localization): the denoiser interface
 * ({@link io.autospec.diffusion.Denoiser}), the batch it is handed
 * ({@link io.autospec.diffusion.DriftBatch}), time schedules ({@link io.autospec.diffusion.Schedule})
 * and Picard iteration. {@link io.autospec.diffusion.DiffusionProcess} and
 * {@link io.autospec.diffusion.PathSegment} are <b>internal</b>.
 */
package io.autospec.diffusion;
