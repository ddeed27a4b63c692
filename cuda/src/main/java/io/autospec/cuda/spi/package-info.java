/**
 * Supported extension point of the CUDA backend: a <b>device family</b> gives oracles or denoisers of
 * its own a device model, from a jar of its own. It implements {@link io.autospec.cuda.spi.DeviceFamily}
 * (listed in {@code META-INF/services/io.autospec.cuda.spi.DeviceFamily}); its models say which kernel
 * runs ({@link io.autospec.cuda.spi.ArDeviceModel}, {@link io.autospec.cuda.spi.DriftDeviceModel}),
 * upload their parameters ({@link io.autospec.cuda.spi.Uploader}) and write the kernel's argument
 * struct ({@link io.autospec.cuda.spi.ArgWriter}); the backend does the packing, memory, splitting
 * and launches. A family with kernels of its own ships them as a {@link io.autospec.cuda.spi.KernelModule}
 * (fatbin + PTX resources). ARCHITECTURE.md ("How to add a device family") lists the files.
 */
package io.autospec.cuda.spi;
