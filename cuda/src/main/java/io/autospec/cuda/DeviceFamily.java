package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * A family of models the CUDA backend evaluates on the device: it recognises its oracles or
 * denoisers and builds their device models (parameters not yet uploaded). Families are found with
 * {@link ServiceLoader} from {@code META-INF/services/io.autospec.cuda.DeviceFamily} files (the
 * shaded jar merges them), so a new family is new files — its class, its kernels, a line in a service
 * file — and no central switch. The first family that answers wins, in service-file order.
 */
interface DeviceFamily {

    /** The device model of {@code oracle} if this family has one, else null. */
    default ArModel arModel(ConditionalOracle oracle, DeviceHeap heap) {
        return null;
    }

    /** The device model of {@code denoiser} if this family has one, else null. */
    default DriftModel driftModel(Denoiser denoiser, DeviceHeap heap) {
        return null;
    }

    /** Every registered family, loaded once. */
    static List<DeviceFamily> all() {
        return Registry.FAMILIES;
    }

    /** Holder: the service files are read the first time a model is looked up. */
    final class Registry {
        private Registry() {}

        static final List<DeviceFamily> FAMILIES = load();

        private static List<DeviceFamily> load() {
            List<DeviceFamily> families = new ArrayList<>();
            for (DeviceFamily f : ServiceLoader.load(DeviceFamily.class, DeviceFamily.class.getClassLoader())) families.add(f);
            return List.copyOf(families);
        }
    }
}
