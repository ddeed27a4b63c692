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

    @org.junit.jupiter.api.Test
    void aDeviceErrorInARoundNamesTheRoundAndFreesTheState() {
        // The third replay's model kernel fails: the run stops with the round named, nothing is left behind,
        // and the backend goes on giving the engine's samples.
        Device failing = new BackendContract.FailingDevice(new EmulatedDevice(HostBuild.emulator().executable(), CAPACITY), 3);
        var chain = io.autospec.ar.models.MarkovChain.stay(40, 2, 0.9);
        try (CudaBackend cuda = new CudaBackend(failing, CudaBackend.Options.defaults().withCpuThreads(1));
             io.autospec.backend.CpuBackend cpu = new io.autospec.backend.CpuBackend(1)) {
            CudaException e = org.junit.jupiter.api.Assertions.assertThrows(CudaException.class, () -> io.autospec.Autospec.autoregressive(chain)
                    .strategy(io.autospec.Autospec.sequential()).backend(cuda).seed(2).sample(3));
            org.junit.jupiter.api.Assertions.assertTrue(e.getMessage().contains("injected") && e.getMessage().contains("resident round 3 of markov"),
                    e.getMessage());
            org.junit.jupiter.api.Assertions.assertEquals(0, cuda.stats().residentLive(), "resident state after the error");
            var want = io.autospec.Autospec.autoregressive(chain).strategy(io.autospec.Autospec.jacobi(4)).backend(cpu).seed(2).sample(3);
            var got = io.autospec.Autospec.autoregressive(chain).strategy(io.autospec.Autospec.jacobi(4)).backend(cuda).seed(2).sample(3);
            for (int i = 0; i < 3; i++) org.junit.jupiter.api.Assertions.assertArrayEquals(want.samples().get(i), got.samples().get(i));
        }
    }
}
