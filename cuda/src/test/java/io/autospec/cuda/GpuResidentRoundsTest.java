package io.autospec.cuda;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * {@link ResidentRoundsContract} on a GPU: the rounds replay a real CUDA graph (stream capture,
 * cuGraphLaunch), and the device's own count of live allocations and graphs shows nothing left
 * behind. Skipped, saying so, where no CUDA device is usable.
 */
@ExtendWith(DeviceFaultGuard.class)
class GpuResidentRoundsTest extends ResidentRoundsContract {

    private static CudaProbe.Result probe;

    @BeforeAll
    static void gpu() {
        probe = CudaProbe.probe();
        if (probe.available()) return;
        if (Boolean.getBoolean("autospec.requireGpu")) {
            org.junit.jupiter.api.Assertions.fail("a GPU is required (-Dautospec.requireGpu) but CUDA is not available: " + probe.reason());
        }
        System.err.println("[autospec] skipping GPU resident-round tests: " + probe.reason());
    }

    @org.junit.jupiter.api.BeforeEach
    void needsGpu() {
        Assumptions.assumeTrue(probe.available(), () -> "no usable CUDA device: " + probe.reason());
    }

    @Override
    CudaBackend backend(CudaBackend.Options options) {
        return CudaBackend.open(options);
    }

    @Override
    long deviceLive(CudaBackend backend) {
        return ((JCudaDevice) backend.heap().device()).liveAllocations();
    }
}
