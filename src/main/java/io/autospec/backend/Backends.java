package io.autospec.backend;

import io.autospec.cuda.CudaBackend;
import io.autospec.cuda.CudaProbe;
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
     */
    public static Backend open(String mode, int cpuThreads) {
        return open(mode, cpuThreads, 0);
    }

    /** As {@link #open(String, int)}, on CUDA device {@code device} (e.g. the GPU a cluster manager gave a task). */
    public static Backend open(String mode, int cpuThreads, int device) {
        int threads = cpuThreads > 0 ? cpuThreads : Runtime.getRuntime().availableProcessors();
        switch (mode) {
            case "cpu":
                return new CpuBackend(threads);
            case "cuda": {
                CudaProbe.Result probe = CudaProbe.probe();
                if (!probe.available()) {
                    throw new UnavailableException("--backend cuda: CUDA is not available: " + probe.reason(), probe.cause());
                }
                try {
                    return CudaBackend.open(CudaBackend.Options.defaults().withCpuThreads(threads).withDevice(device));
                } catch (RuntimeException e) {
                    throw new UnavailableException("--backend cuda: the CUDA backend failed to start: " + e.getMessage(), e);
                }
            }
            case "auto": {
                CudaProbe.Result probe = CudaProbe.probe();
                if (!probe.available()) {
                    LOG.info("CUDA not available ({}); using the CPU backend ({} thread{})", probe.reason(), threads, threads == 1 ? "" : "s");
                    return new CpuBackend(threads);
                }
                try {
                    CudaBackend b = CudaBackend.open(CudaBackend.Options.defaults().withCpuThreads(threads).withDevice(device));
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
}
