package io.autospec.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

/** {@link ResidentRoundsContract} on the host emulator; skipped, with the reason, when no host C++ compiler can build it. */
class EmulatedResidentRoundsTest extends ResidentRoundsContract {
    private static final long CAPACITY = 1L << 28;

    @BeforeAll
    static void emulator() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "resident rounds on the emulator skipped: " + r.reason());
    }

    @Override
    CudaBackend backend(CudaBackend.Options options) {
        return new CudaBackend(new EmulatedDevice(HostBuild.emulator().executable(), CAPACITY), options);
    }

    @Override
    long deviceLive(CudaBackend backend) {
        return ((EmulatedDevice) backend.heap().device()).info()[1];
    }

    @org.junit.jupiter.api.Test
    void theEmulatorIsEmptyWhenTheBackendCloses() {
        EmulatedDevice device = new EmulatedDevice(HostBuild.emulator().executable(), CAPACITY);
        try (CudaBackend cuda = new CudaBackend(device, CudaBackend.Options.defaults().withCpuThreads(1))) {
            io.autospec.Autospec.autoregressive(io.autospec.ar.models.MarkovChain.stay(30, 2, 0.9)).strategy(io.autospec.Autospec.jacobi())
                    .backend(cuda).seed(1).sample(4);
            org.junit.jupiter.api.Assertions.assertTrue(cuda.stats().residentRounds() > 0);
        }
        org.junit.jupiter.api.Assertions.assertNotNull(device.atClose, "the backend did not close its device");
        org.junit.jupiter.api.Assertions.assertEquals(0, device.atClose[0], "device bytes left allocated");
        org.junit.jupiter.api.Assertions.assertEquals(0, device.atClose[1], "device allocations left");
    }
}
