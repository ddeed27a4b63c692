package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The network executor contract on a real GPU (device 0, through JCuda): the compiled kernels, the
 * tiled matmul with real blocks and shared memory, give the Java bits. Skipped with the probe's reason
 * when CUDA is not available, unless -Dautospec.requireGpu=true, which turns the skip into a failure.
 * Leaks: the device counts the allocations made through it, which must be none after each executor
 * closed. The first device fault stops the class ({@link DeviceFaultGuard}).
 */
@ExtendWith(DeviceFaultGuard.class)
class GpuNetExecutorTest extends NetExecutorContract {
    private static CudaProbe.Result probe;

    @BeforeAll
    static void probe() {
        probe = CudaProbe.probe();
        if (!probe.available()) {
            if (Boolean.getBoolean("autospec.requireGpu")) fail("a GPU is required (-Dautospec.requireGpu) but CUDA is not available: " + probe.reason());
            System.err.println("[autospec] skipping GPU network executor tests: " + probe.reason());
        }
    }

    @BeforeEach
    @Override
    void openDevice() {
        Assumptions.assumeTrue(probe.available(), () -> "GPU tests skipped: " + probe.reason());
        super.openDevice();
    }

    @Override
    Device newDevice() {
        return JCudaDevice.open(0);
    }

    @Override
    void assertNothingLeft(Device device) {
        assertEquals(0, ((JCudaDevice) device).liveAllocations(), "device and pinned allocations left");
    }
}
