package io.autospec.cuda.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A compiled kernel module on the classpath: {@code <resourceDir><name>.fatbin} and the portable
 * {@code <name>.ptx}, read through {@code owner}'s class loader, and the kernels ({@code extern "C"}
 * names) the backend resolves in it when the device opens. The backend loads the fatbin, or the PTX
 * where the driver refuses the fatbin, as it does its own modules.
 */
public record KernelModule(Class<?> owner, String resourceDir, String name, List<String> kernels) {
    public KernelModule {
        if (owner == null) throw new IllegalArgumentException("kernel module " + name + ": no owner class");
        if (resourceDir == null || !resourceDir.startsWith("/") || !resourceDir.endsWith("/")) {
            throw new IllegalArgumentException("kernel module " + name + ": resource directory must be absolute and end with '/', got " + resourceDir);
        }
        if (name == null || name.isBlank()) throw new IllegalArgumentException("kernel module in " + resourceDir + " has no name");
        kernels = List.copyOf(kernels);
        if (kernels.isEmpty()) throw new IllegalArgumentException("kernel module " + name + " names no kernels");
    }

    /** The bytes of {@code <resourceDir><name><extension>}, or null when the resource is missing. */
    public byte[] read(String extension) {
        String path = resourceDir + name + extension;
        try (InputStream in = owner.getResourceAsStream(path)) {
            return in == null ? null : in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read kernel resource " + path, e);
        }
    }
}
