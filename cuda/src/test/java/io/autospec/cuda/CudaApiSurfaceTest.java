package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.File;
import java.lang.reflect.Modifier;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import io.autospec.testing.ApiSurface;
import org.junit.jupiter.api.Test;

/** What library callers can reach of the CUDA provider module (the core's part is ApiSurfaceTest). */
class CudaApiSurfaceTest {

    /**
     * The CUDA package exposes the backend, its exceptions and the device-evaluable denoiser specs;
     * device buffers, packers, kernels and the device draws are package-private.
     */
    @Test
    void cudaInternalsAreNotPublic() throws ClassNotFoundException, URISyntaxException {
        File dir = new File(new File(CudaBackend.class.getProtectionDomain().getCodeSource().getLocation().toURI()), "io/autospec/cuda");
        // Device families are ServiceLoader providers, which must be public classes; their interface
        // (DeviceFamily) is package-private, so they are inert outside the package.
        Class<?> family = Class.forName("io.autospec.cuda.DeviceFamily", false, getClass().getClassLoader());
        assertFalse(Modifier.isPublic(family.getModifiers()), "the device-family SPI is internal");
        Set<String> publicTypes = new TreeSet<>();
        for (String f : dir.list()) {
            if (!f.endsWith(".class") || f.equals("package-info.class")) continue;
            Class<?> c = Class.forName("io.autospec.cuda." + f.substring(0, f.length() - 6), false, getClass().getClassLoader());
            if (reachable(c) && !family.isAssignableFrom(c)) publicTypes.add(c.getSimpleName());
        }
        // CudaBackendProvider: the ServiceLoader provider of Backends.open("cuda"), public as providers must be;
        // CudaExecutorProvider likewise for networks (io.autospec.nn.ExecutorProvider; its executor class is internal).
        assertEquals(new TreeSet<>(List.of("BoxSpec", "CudaBackend", "Options", "Stats", "CudaException", "CudaProbe", "Result",
                "DeviceOutOfMemoryException", "MixtureSpec", "CudaBackendProvider", "CudaExecutorProvider")), publicTypes);
    }

    /**
     * The supported device-family SPI is exactly these public types of {@code io.autospec.cuda.spi}: what a
     * family implements (DeviceFamily, ArDeviceModel, DriftDeviceModel) and what the backend hands it.
     */
    @Test
    void theDeviceFamilySpiIsPublic() throws Exception {
        Set<String> spi = ApiSurface.publicTypes(CudaBackend.class).get("io.autospec.cuda.spi");
        assertEquals(new TreeSet<>(List.of("ArDeviceModel", "ArLaunch", "ArgWriter", "DeviceFamily", "DriftDeviceModel", "DriftLaunch",
                "KernelModule", "Uploader")), new TreeSet<>(spi));
    }

    /** Public, and so are all its enclosing types. */
    private static boolean reachable(Class<?> c) {
        for (; c != null; c = c.getEnclosingClass()) if (!Modifier.isPublic(c.getModifiers())) return false;
        return true;
    }

    /**
     * The CUDA module's packages are API ({@code io.autospec.cuda} and the device-family SPI {@code io.autospec.cuda.spi}): their public types expose
     * no type of an {@code io.autospec.internal} package in a public or protected signature, but the
     * exceptions listed (none today).
     */
    @Test
    void cudaSignaturesDoNotExposeInternalTypes() throws Exception {
        java.util.Map<String, Set<String>> types = ApiSurface.publicTypes(CudaBackend.class);
        assertEquals(Set.of("io.autospec.cuda", "io.autospec.cuda.spi"), types.keySet(), "the module's packages");
        // Device families are ServiceLoader providers (public classes of a package-private SPI): inert outside the package.
        Class<?> family = Class.forName("io.autospec.cuda.DeviceFamily", false, getClass().getClassLoader());
        types.get("io.autospec.cuda").removeIf(n -> {
            try {
                return family.isAssignableFrom(Class.forName("io.autospec.cuda." + n.replace('.', '$'), false, getClass().getClassLoader()));
            } catch (ClassNotFoundException e) {
                throw new IllegalStateException(e);
            }
        });
        assertEquals(Set.of(), ApiSurface.internalTypesInSignatures(CudaBackend.class, types));
    }
}
