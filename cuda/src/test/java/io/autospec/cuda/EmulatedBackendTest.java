package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;

/**
 * The backend contract on the host emulator: the CUDA backend's whole host side (packing, arenas,
 * splitting, argument structs, launch sequences) with the kernels' item functions compiled for the
 * host. Skipped, with the reason, when no host C++ compiler is available.
 */
class EmulatedBackendTest extends BackendContract {
    private static final long CAPACITY = 1L << 31;

    @BeforeAll
    static void buildEmulator() {
        HostBuild.Result r = HostBuild.emulator();
        if (r.executable() == null) System.err.println("[autospec] skipping emulated CUDA backend tests: " + r.reason());
    }

    @BeforeEach
    void needsEmulator() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated CUDA backend tests skipped: " + r.reason());
    }

    @Override
    Device newDevice() {
        return new EmulatedDevice(HostBuild.emulator().executable(), CAPACITY);
    }

    @Override
    void assertNothingLeft(Device device) {
        EmulatedDevice e = (EmulatedDevice) device;
        assertNotNull(e.atClose, "the backend did not close its device");
        assertEquals(0, e.atClose[0], "device bytes left allocated");
        assertEquals(0, e.atClose[1], "device allocations left");
    }
}
