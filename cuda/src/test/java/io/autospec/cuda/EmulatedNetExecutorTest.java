package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The network executor contract on the host emulator: the nn kernels' item functions (and the
 * matmul's phases, thread by thread) compiled for the host. Skipped, with the reason, without a
 * host C++ compiler.
 */
class EmulatedNetExecutorTest extends NetExecutorContract {
    private static final long CAPACITY = 1L << 28;

    @BeforeAll
    static void needsEmulator() {
        HostBuild.Result r = HostBuild.emulator();
        if (r.executable() == null) System.err.println("[autospec] skipping emulated network executor tests: " + r.reason());
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated network executor tests skipped: " + r.reason());
    }

    /**
     * Every kernel the backend resolves (Kernels.ALL, nn and sampler kernels alike) exists in the
     * emulator with the argument struct size Kernels gives: an all-zero struct (count 0) launches.
     */
    @Test
    void theEmulatorRunsEveryKernelTheBackendNames() throws ReflectiveOperationException {
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (java.lang.reflect.Field f : Kernels.class.getDeclaredFields()) {
            if (f.getType() != String.class || !Kernels.ALL.contains(f.get(null))) continue;
            String kernel = (String) f.get(null);
            int size = Kernels.class.getDeclaredField(f.getName() + "_ARGS").getInt(null);
            device.launch(kernel, 1, NetLaunch.MATMUL_THREADS, java.nio.ByteBuffer.allocate(size));
            seen.add(kernel);
        }
        assertEquals(new java.util.HashSet<>(Kernels.ALL), seen);
        assertEquals(Kernels.ALL.size(), ((EmulatedDevice) device).launches());
    }

    @Override
    Device newDevice() {
        return new EmulatedDevice(HostBuild.emulator().executable(), CAPACITY);
    }

    @Override
    void assertNothingLeft(Device device) {
        long[] info = ((EmulatedDevice) device).info();
        assertEquals(0, info[0], "device bytes left allocated");
        assertEquals(0, info[1], "device allocations left");
    }
}
