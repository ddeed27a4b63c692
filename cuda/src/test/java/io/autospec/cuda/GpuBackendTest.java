package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import jcuda.driver.CUcontext;
import jcuda.driver.CUdevice;
import jcuda.driver.JCudaDriver;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The backend contract on a real GPU through JCuda (device 0). Skipped with the probe's reason when
 * CUDA is not available, unless -Dautospec.requireGpu=true (the GPU bundle's run-gpu-tests.sh sets
 * it), which turns the skip into a failure.
 *
 * <p>Leaks: the test keeps its own reference to the device's primary context, so the context
 * outlives each backend and cuMemGetInfo before a test and after its backends closed are comparable;
 * the buffer-reuse test runs {@code autospec.gpu.runs} (default 10^4) runs on one backend and
 * requires free device memory to be exactly unchanged after the first. Before anything is measured, a
 * warm-up backend loads the modules and runs every kernel once (the driver sizes local memory and
 * JIT-compiles PTX lazily, on first use).
 *
 * <p>The first device fault stops the class ({@link DeviceFaultGuard}): later tests are aborted
 * naming it, instead of all failing with the same poisoned-context error.
 */
@ExtendWith(DeviceFaultGuard.class)
class GpuBackendTest extends BackendContract {
    /** Driver-level slack when comparing free memory across backend open/close (module memory is
     * returned at page granularity). Per-run leaks are caught exactly by the reuse test. */
    private static final long CLOSE_SLACK = 4L << 20;

    private static CUdevice dev;
    private static CUcontext ctx;
    private long freeBefore;

    private static CudaProbe.Result probe;

    @BeforeAll
    static void openContext() {
        probe = CudaProbe.probe();
        if (!probe.available()) {
            if (Boolean.getBoolean("autospec.requireGpu")) fail("a GPU is required (-Dautospec.requireGpu) but CUDA is not available: " + probe.reason());
            System.err.println("[autospec] skipping GPU tests: " + probe.reason());
            return;
        }
        dev = new CUdevice();
        ctx = new CUcontext();
        JCudaDevice.check(JCudaDriver.cuDeviceGet(dev, 0), "cuDeviceGet");
        JCudaDevice.check(JCudaDriver.cuDevicePrimaryCtxRetain(ctx, dev), "cuDevicePrimaryCtxRetain");
        // Warm-up: the first backend in a context loads (maybe JIT-compiles) the modules; running each
        // kernel once lets the driver grow its lazily sized per-context resources before any measurement.
        try (CudaBackend b = CudaBackend.open()) {
            warmUp(b);
        } catch (RuntimeException e) {
            DeviceFaultGuard.record("warm-up", e);
            throw e;
        }
    }

    private static void warmUp(CudaBackend b) {
        for (io.autospec.ar.ConditionalOracle o : Zoo.ar(8).values()) io.autospec.Autospec.autoregressive(o).seed(1).backend(b).sample(2);
        for (io.autospec.ar.ConditionalOracle o : BackendContract.determinantal().values()) {
            io.autospec.Autospec.autoregressive(o).strategy(io.autospec.Autospec.jacobi()).seed(1).backend(b).sample(2);
        }
        for (io.autospec.diffusion.Denoiser d : java.util.List.of(io.autospec.diffusion.models.IsotropicMixture.randomGmm(3, 2, 1),
                new io.autospec.diffusion.models.BoxUniform(2, -1, 1))) {
            io.autospec.Autospec.diffusion(d, io.autospec.diffusion.Schedule.uniform(4, 0.5)).seed(1).backend(b).sample(2);
        }
    }

    @AfterAll
    static void release() {
        if (ctx != null) JCudaDriver.cuDevicePrimaryCtxRelease(dev);
    }

    @BeforeEach
    void measure() {
        Assumptions.assumeTrue(probe.available(), () -> "GPU tests skipped: " + probe.reason());
        freeBefore = free();
    }

    private static long free() {
        JCudaDevice.check(JCudaDriver.cuCtxSetCurrent(ctx), "cuCtxSetCurrent");
        long[] f = new long[1], t = new long[1];
        JCudaDevice.check(JCudaDriver.cuMemGetInfo(f, t), "cuMemGetInfo");
        return f[0];
    }

    @Override
    Device newDevice() {
        return JCudaDevice.open(0);
    }

    @Override
    int reuseRuns() {
        return Integer.getInteger("autospec.gpu.runs", 10_000);
    }

    @Override
    void assertNothingLeft(Device device) {
        long after = free();
        assertTrue(after >= freeBefore - CLOSE_SLACK, "device memory not returned: " + (freeBefore - after) + " bytes fewer free");
    }
}
