package io.autospec.backend;

/**
 * A backend other than the CPU one, found through {@link java.util.ServiceLoader} (a line naming the
 * implementation in {@code META-INF/services/io.autospec.backend.BackendProvider}). The CUDA backend
 * is one, in the {@code autospec-cuda} module: with that jar on the class path {@link Backends#open}
 * accepts {@code cuda} and {@code auto} uses it when a device is usable.
 */
public interface BackendProvider {
    /** {@return the backend's name, as {@link Backends#open} accepts it (e.g. "cuda")} */
    String name();

    /**
     * Whether the backend can run here, decided without opening it (probed once per JVM).
     *
     * @return null when it is usable, else a one-line reason
     */
    String unavailableReason();

    /** {@return the error behind {@link #unavailableReason()}, or null} */
    default Throwable unavailableCause() {
        return null;
    }

    /**
     * Opens the backend.
     *
     * @param cpuThreads threads for models the backend runs on the CPU (at least 1)
     * @param device     device ordinal
     * @return the backend; the caller closes it
     */
    Backend open(int cpuThreads, int device);
}
