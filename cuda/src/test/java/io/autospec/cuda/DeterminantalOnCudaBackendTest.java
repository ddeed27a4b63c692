package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalOracle;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend (on the host emulator) evaluates the determinantal oracles (ust, aztec, dpp) on
 * the device: its determinantal kernels run, no CPU fallback is opened, and it draws the same samples
 * with the same rounds and queries as the CPU backend for the same seed. (The same identity runs on a
 * real GPU in {@link GpuBackendTest}, through {@link BackendContract}.)
 */
class DeterminantalOnCudaBackendTest {
    @Test
    void runsOnTheDeviceWithTheSameSamplesAsTheCpuBackend() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated CUDA backend tests skipped: " + r.reason());
        Strategy[] strategies = {Autospec.sequential(), Autospec.speculative(), Autospec.token(4), Autospec.jacobi()};
        EmulatedDevice device = new EmulatedDevice(r.executable(), 1L << 30);
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(1L << 30).withCpuThreads(2));
             CpuBackend cpu = new CpuBackend(2)) {
            for (Map.Entry<String, ConditionalOracle> m : BackendContract.determinantal().entrySet()) {
                ConditionalOracle oracle = m.getValue();
                BackendContract.assertOnDevice(gpu, m.getKey(), oracle);
                for (Strategy s : strategies) {
                    long before = device.launches();
                    RunResult<int[]> a = Autospec.autoregressive(oracle).strategy(s).seed(3).backend(cpu).sample(6);
                    RunResult<int[]> b = Autospec.autoregressive(oracle).strategy(s).seed(3).backend(gpu).sample(6);
                    String what = m.getKey() + " " + s;
                    for (int i = 0; i < 6; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), what);
                    assertEquals(a.metrics().rounds(), b.metrics().rounds(), what);
                    assertEquals(a.metrics().queries(), b.metrics().queries(), what);
                    assertTrue(device.launches() > before, what + ": no kernel ran on the (emulated) device");
                }
            }
            assertFalse(gpu.usedCpuThreads(), "the CUDA backend fell back to CPU threads");
        }
        assertEquals(0, device.atClose[0], "device bytes left allocated");
        assertEquals(0, device.atClose[1], "device allocations left");
    }
}
