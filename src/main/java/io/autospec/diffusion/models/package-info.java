/**
 * <b>API</b>: the diffusion model zoo, every denoiser exact: isotropic Gaussian mixtures and finite
 * atoms (from code or CSV files) and the uniform law on a box.
 */
package io.autospec.diffusion.models;
