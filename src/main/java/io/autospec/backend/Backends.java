package io.autospec.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the backend for a run: {@code cpu}, {@code cuda}, or {@code auto} (CUDA when a device and
 * the native libraries load, else the CPU with one line saying why). Backends other than the CPU
 * one come from {@link BackendProvider}s on the class path (the CUDA one from {@code autospec-cuda}).
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger("autospec");

    private Backends() {}

    /** Thrown when {@code cuda} is requested and no usable CUDA device is present. */
    public static final class UnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        /** Why CUDA is not usable, with the error behind it (or null). */
        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens a backend. {@code mode}: "auto", "cpu" or "cuda"; {@code cpuThreads}: threads of the CPU
     * backend (0 = all processors), also used by the CUDA backend for oracles it cannot run on the GPU.
     *
     * @param mode       "auto", "cpu" or "cuda"
     * @param cpuThreads CPU threads, 0 for all processors
     * @return the backend; the caller closes it
     * @throws UnavailableException for "cuda" when no usable CUDA device is present
     * @throws IllegalArgumentException when {@code cpuThreads} is negative
     */
    public static Backend open(String mode, int cpuThreads) {
        return open(mode, cpuThreads, 0);
    }

    /** As {@link #open(String, int)}, on CUDA device {@code device} (e.g. the GPU a cluster manager gave a task). */
    public static Backend open(String mode, int cpuThreads, int device) {
        if (cpuThreads < 0) throw new IllegalArgumentException("CPU threads must be 0 (all processors) or more, got " + cpuThreads);
        int threads = cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors();
        switch (mode) {
            case "cpu":
                return new CpuBackend(threads);
            case "cuda": {
                BackendProvider cuda = provider("cuda");
                String reason = cuda == null ? NO_CUDA_PROVIDER : cuda.unavailableReason();
                if (reason != null) {
                    throw new UnavailableException("--backend cuda: CUDA is not available: " + reason, cuda == null ? null : cuda.unavailableCause());
                }
                try {
                    return cuda.open(threads, device);
                } catch (RuntimeException e) {
                    throw new UnavailableException("--backend cuda: the CUDA backend failed to start: " + e.getMessage(), e);
                }
            }
            case "auto": {
                BackendProvider cuda = provider("cuda");
                String reason = cuda == null ? NO_CUDA_PROVIDER : cuda.unavailableReason();
                if (reason != null) {
                    LOG.info("CUDA not available ({}); using the CPU backend ({} thread{})", reason, threads, threads == 1 ? "" : "s");
                    return new CpuBackend(threads);
                }
                try {
                    Backend b = cuda.open(threads, device);
                    LOG.info("using the CUDA backend: {}", b.describe());
                    return b;
                } catch (RuntimeException e) {
                    LOG.info("the CUDA backend failed to start ({}); using the CPU backend ({} thread{})", e.getMessage(), threads,
                            threads == 1 ? "" : "s");
                    return new CpuBackend(threads);
                }
            }
            default:
                throw new IllegalArgumentException("unknown backend '" + mode + "' (expected auto, cpu or cuda)");
        }
    }

    /** Why {@code cuda} cannot run when no provider of it is on the class path. */
    static final String NO_CUDA_PROVIDER = "the CUDA backend (io.autospec:autospec-cuda) is not on the class path";

    /** {@return the provider of the named backend on the class path, or null} */
    public static BackendProvider provider(String name) {
        for (BackendProvider p : java.util.ServiceLoader.load(BackendProvider.class, Backends.class.getClassLoader())) {
            if (p.name().equals(name)) return p;
        }
        return null;
    }
}
