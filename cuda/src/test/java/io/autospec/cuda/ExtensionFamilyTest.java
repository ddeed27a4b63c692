package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalOracle;
import io.autospec.backend.CpuBackend;
import io.autospec.cuda.spi.KernelModule;
import io.autospec.diffusion.DriftBatch;
import io.autospec.diffusion.models.BoxUniform;
import java.util.List;
import org.example.devicefamily.ExampleFamily;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * A device family from another package, written against the public SPI only ({@link ExampleFamily},
 * registered by the test classpath's service file), is picked up by the backend and runs on the host
 * emulator with the same results as the CPU.
 */
class ExtensionFamilyTest {

    @Test
    void theServiceFileRegistersTheExampleFamilyAfterTheBuiltIns() {
        List<DeviceFamily> all = DeviceFamily.all();
        DeviceFamily last = all.get(all.size() - 1);
        assertTrue(last instanceof ExtensionFamily e && e.family instanceof ExampleFamily, "last family: " + last);
    }

    @Test
    void anExtensionOracleAndDenoiserRunOnTheEmulatedDevice() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated CUDA backend tests skipped: " + r.reason());
        int n = 9, q = 3;
        double[] p = new double[n * q];
        for (int i = 0; i < n; i++) {
            double a = 1 + i % 4, b = 2, c = 0.5 + i;
            p[i * q] = a / (a + b + c);
            p[i * q + 1] = b / (a + b + c);
            p[i * q + 2] = c / (a + b + c);
        }
        ConditionalOracle oracle = new ExampleFamily.Marginals(n, q, p);
        ExampleFamily.Cube cube = new ExampleFamily.Cube(new BoxUniform(3, -1, 2));
        EmulatedDevice device = new EmulatedDevice(r.executable(), 1L << 28);
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(1L << 26).withCpuThreads(1));
             CpuBackend cpu = new CpuBackend(1)) {
            assertTrue(gpu.onDevice(oracle), "the extension oracle has a device model");
            assertTrue(gpu.onDevice(cube), "the extension denoiser has a device model");
            for (long seed : new long[] {3, 41}) {
                RunResult<int[]> a = Autospec.autoregressive(oracle).strategy(Autospec.jacobi()).seed(seed).backend(cpu).sample(20);
                RunResult<int[]> b = Autospec.autoregressive(oracle).strategy(Autospec.jacobi()).seed(seed).backend(gpu).sample(20);
                for (int i = 0; i < 20; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), "seed " + seed + ": sample " + i);
            }
            DriftBatch batch = new DriftBatch(cube);
            double[] times = {1e-6, 0.05, 1, 30, 1000};
            for (int j = 0; j < 50; j++) {
                int off = batch.add(times[j % times.length], j, 0);
                for (int i = 0; i < 3; i++) batch.points()[off + i] = (j % 7 - 3) * 0.7 + i - times[j % times.length] * 0.1;
            }
            cpu.drifts(cube, batch, 0, batch.size());
            double[] want = batch.out().clone();
            java.util.Arrays.fill(batch.out(), Double.NaN);
            gpu.drifts(cube, batch, 0, batch.size());
            for (int k = 0; k < 3 * batch.size(); k++) assertEquals(want[k], batch.out()[k], 1e-9 * (1 + Math.abs(want[k])), "drift " + k);
            assertFalse(gpu.usedCpuThreads(), "nothing fell back to the CPU");
            assertTrue(device.launches() > 0, "kernels ran on the emulator");
        }
        assertNotNull(device.atClose, "the backend closed its device");
        assertEquals(0, device.atClose[1], "device allocations left");
    }

    @Test
    void aKernelModuleIsReadFromItsOwnersResourcesAndAMissingImageIsNamed() {
        KernelModule m = new KernelModule(ExampleFamily.class, "/org/example/devicefamily/", "example", List.of("example_kernel"));
        Kernels.Module loaded = Kernels.module(m);
        assertEquals("example", loaded.name());
        assertEquals("fatbin image\n", new String(loaded.fatbin(), java.nio.charset.StandardCharsets.US_ASCII));
        assertEquals(0, loaded.ptx()[loaded.ptx().length - 1], "PTX text is NUL-terminated");
        KernelModule missing = new KernelModule(ExampleFamily.class, "/org/example/devicefamily/", "absent", List.of("k"));
        CudaException e = assertThrows(CudaException.class, () -> Kernels.module(missing));
        assertTrue(e.getMessage().contains("/org/example/devicefamily/absent.fatbin"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new KernelModule(ExampleFamily.class, "relative/", "x", List.of("k")));
    }
}
