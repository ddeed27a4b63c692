package io.autospec.cuda;

import io.autospec.backend.Backend;
import io.autospec.backend.BackendProvider;

/**
 * The CUDA backend as a {@link BackendProvider} (registered in
 * {@code META-INF/services/io.autospec.backend.BackendProvider}): what {@code Backends.open("cuda")}
 * and {@code "auto"} use.
 */
public final class CudaBackendProvider implements BackendProvider {
    /** For {@link java.util.ServiceLoader}. */
    public CudaBackendProvider() {}

    @Override
    public String name() {
        return "cuda";
    }

    @Override
    public String unavailableReason() {
        CudaProbe.Result probe = CudaProbe.probe();
        return probe.available() ? null : probe.reason();
    }

    @Override
    public Throwable unavailableCause() {
        CudaProbe.Result probe = CudaProbe.probe();
        return probe.available() ? null : probe.cause();
    }

    /**
     * {@inheritDoc} The system property {@code autospec.cuda.resident=false} turns the device-resident
     * rounds off (the engine then builds every round on the host, as for the other strategies).
     */
    @Override
    public Backend open(int cpuThreads, int device) {
        return CudaBackend.open(CudaBackend.Options.defaults().withCpuThreads(cpuThreads).withDevice(device)
                .withResidentRounds(!"false".equalsIgnoreCase(System.getProperty("autospec.cuda.resident", "true"))));
    }
}
