/**
 * The CUDA backend (JCuda). API: {@link io.autospec.cuda.CudaBackend} (open it directly for options
 * such as a memory budget, or through {@code io.autospec.backend.Backends}), the exceptions it
 * throws, and {@link io.autospec.cuda.MixtureSpec} / {@link io.autospec.cuda.BoxSpec}, which a
 * denoiser of your own implements to be evaluated on the device. A device model (and kernel) for an
 * oracle or denoiser class of your own is added through the supported SPI, {@link io.autospec.cuda.spi}.
 * Everything else here (device buffers, packers, kernels, the built-in device families,
 * {@link io.autospec.cuda.CudaProbe}) is <b>internal</b>.
 */
package io.autospec.cuda;
