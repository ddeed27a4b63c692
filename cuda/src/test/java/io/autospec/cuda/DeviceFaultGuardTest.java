package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

/** The GPU tests' stop-at-first-fault rule, on the host. */
class DeviceFaultGuardTest {

    @Test
    void stickyFaultsAreRecognisedAndOthersAreNot() {
        CudaException illegal = new CudaException("cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS");
        assertTrue(DeviceFaultGuard.sticky(illegal));
        assertTrue(DeviceFaultGuard.sticky(new IllegalStateException("launch #3 failed", illegal)), "found as a cause");
        assertTrue(DeviceFaultGuard.sticky(new CudaException("cuLaunchKernel(as_ar_markov, grid 4, block 128) failed: CUDA_ERROR_LAUNCH_FAILED")));
        assertFalse(DeviceFaultGuard.sticky(new DeviceOutOfMemoryException("cuMemAlloc(8 bytes) failed: CUDA_ERROR_OUT_OF_MEMORY")));
        assertFalse(DeviceFaultGuard.sticky(new CudaException("cuModuleLoadData(ar.fatbin) failed: CUDA_ERROR_INVALID_IMAGE")));
        assertFalse(DeviceFaultGuard.sticky(new AssertionError("expected CUDA_ERROR_ILLEGAL_ADDRESS")), "only CUDA errors count");
    }

    @Test
    void afterTheFirstFaultLaterTestsAreAbortedNamingIt() {
        DeviceFaultGuard guard = new DeviceFaultGuard();
        try {
            DeviceFaultGuard.reset();
            guard.beforeEach(null); // nothing recorded: runs
            DeviceFaultGuard.record("ordinary()", new AssertionError("a plain failure"));
            assertNull(DeviceFaultGuard.firstFault(), "an ordinary failure does not stop the class");
            DeviceFaultGuard.record("first()", new CudaException("cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS"));
            DeviceFaultGuard.record("second()", new CudaException("cuMemcpyDtoHAsync failed: CUDA_ERROR_ILLEGAL_ADDRESS"));
            assertEquals("first(): cuStreamSynchronize failed: CUDA_ERROR_ILLEGAL_ADDRESS", DeviceFaultGuard.firstFault());
            TestAbortedException e = assertThrows(TestAbortedException.class, () -> guard.beforeEach(null));
            assertTrue(e.getMessage().contains("first()") && e.getMessage().contains("CUDA_ERROR_ILLEGAL_ADDRESS"), e.getMessage());
        } finally {
            DeviceFaultGuard.reset();
        }
    }
}
