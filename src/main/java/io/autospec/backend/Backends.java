package io.autospec.backend;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the backend for a run: {@code cpu}, {@code cuda}, or {@code auto} (CUDA when a device and
 * the native libraries load, else the CPU with one line saying why).
 */
public final class Backends {
    private static final Logger LOG = LoggerFactory.getLogger("autospec");

    private Backends() {}

    /** Thrown when {@code cuda} is requested and no usable CUDA device is present. */
    public static final class UnavailableException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        public UnavailableException(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Opens a backend. {@code mode}: "auto", "cpu" or "cuda"; {@code cpuThreads}: threads of the CPU
     * backend (0 = all processors).
     */
    public static Backend open(String mode, int cpuThreads) {
        int threads = cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors();
        switch (mode) {
            case "cpu":
                return new CpuBackend(threads);
            case "cuda":
                throw new UnavailableException("--backend cuda: this build has no CUDA backend", null);
            case "auto":
                LOG.info("CUDA backend not available in this build; using the CPU backend ({} threads)", threads);
                return new CpuBackend(threads);
            default:
                throw new IllegalArgumentException("unknown backend '" + mode + "' (expected auto, cpu or cuda)");
        }
    }
}
