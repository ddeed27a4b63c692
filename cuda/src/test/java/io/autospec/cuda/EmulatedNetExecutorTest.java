package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;

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
