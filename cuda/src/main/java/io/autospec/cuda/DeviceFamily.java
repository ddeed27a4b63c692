package io.autospec.cuda;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A family of models the CUDA backend evaluates on the device: it recognises its oracles or
 * denoisers and builds their device models (parameters not yet uploaded). Families are found with
 * {@link ServiceLoader} from {@code META-INF/services/io.autospec.cuda.DeviceFamily} files (the
 * shaded jar merges them), so a new family is new files — its class, its kernels, a line in a service
 * file — and no central switch. The first family that answers wins, in service-file order.
 * This is the built-ins' interface (their models reach engine internals); a family from another jar
 * implements the public {@link io.autospec.cuda.spi.DeviceFamily}, which joins the list after the
 * built-ins through an {@link ExtensionFamily}.
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

    /**
     * The device model that the first family answering {@code make} builds, with its parameters
     * uploaded ({@code upload}), or null when no family has one; a model whose upload fails is
     * closed ({@code close}) before the error goes on. Shared by AR and drift models.
     */
    static <M> M firstUploaded(Function<DeviceFamily, M> make, Consumer<M> upload, Consumer<M> close) {
        M m = null;
        for (DeviceFamily f : all()) {
            m = make.apply(f);
            if (m != null) break;
        }
        if (m == null) return null;
        try {
            upload.accept(m);
        } catch (RuntimeException e) {
            close.accept(m);
            throw e;
        }
        return m;
    }

    /** Holder: the service files are read the first time a model is looked up. */
    final class Registry {
        private Registry() {}

        /** The families added through the public SPI (io.autospec.cuda.spi), in service-file order. */
        static final List<io.autospec.cuda.spi.DeviceFamily> EXTENSIONS = List.copyOf(ServiceLoader.load(
                io.autospec.cuda.spi.DeviceFamily.class, DeviceFamily.class.getClassLoader()).stream().map(ServiceLoader.Provider::get).toList());
        static final List<DeviceFamily> FAMILIES = load();

        private static List<DeviceFamily> load() {
            List<DeviceFamily> families = new ArrayList<>();
            for (DeviceFamily f : ServiceLoader.load(DeviceFamily.class, DeviceFamily.class.getClassLoader())) families.add(f);
            for (io.autospec.cuda.spi.DeviceFamily f : EXTENSIONS) families.add(new ExtensionFamily(f));
            return List.copyOf(families);
        }
    }
}
