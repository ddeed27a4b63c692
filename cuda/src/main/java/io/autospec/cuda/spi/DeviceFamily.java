package io.autospec.cuda.spi;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import java.util.List;

/**
 * A family of models the CUDA backend evaluates on the device, added from outside this module: it
 * recognises its own oracles or denoisers and describes their device models. Registered with a line
 * naming the class in {@code META-INF/services/io.autospec.cuda.spi.DeviceFamily}; the class must be
 * public with a public no-argument constructor. The backend asks the built-in families first, then
 * these in service-file order; the first that answers wins.
 */
public interface DeviceFamily {

    /** The device model of {@code oracle} if this family has one, else null (no device memory is touched yet). */
    default ArDeviceModel arModel(ConditionalOracle oracle) {
        return null;
    }

    /** The device model of {@code denoiser} if this family has one, else null. */
    default DriftDeviceModel driftModel(Denoiser denoiser) {
        return null;
    }

    /** The compiled modules holding this family's own kernels (none when it launches built-in kernels). */
    default List<KernelModule> kernelModules() {
        return List.of();
    }
}
