package io.autospec.cuda;

import java.util.List;
import jcuda.driver.CUresult;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import org.opentest4j.TestAbortedException;

/**
 * Stops a GPU test class at its first device fault. A kernel fault (illegal address, launch failure,
 * ...) is sticky: it poisons the CUDA context, and every later test in the process would fail with
 * the same error, hiding which test caused it. The first such failure is reported as it is (with a
 * line saying so); every later test is aborted with a message naming that first fault.
 */
final class DeviceFaultGuard implements TestExecutionExceptionHandler, BeforeEachCallback {
    /** Errors after which the context is unusable (the CUDA documentation's "sticky" errors). */
    private static final List<String> STICKY = List.of(CUresult.stringFor(CUresult.CUDA_ERROR_ILLEGAL_ADDRESS),
            CUresult.stringFor(CUresult.CUDA_ERROR_LAUNCH_FAILED), CUresult.stringFor(CUresult.CUDA_ERROR_ILLEGAL_INSTRUCTION),
            CUresult.stringFor(CUresult.CUDA_ERROR_MISALIGNED_ADDRESS), CUresult.stringFor(CUresult.CUDA_ERROR_INVALID_ADDRESS_SPACE),
            CUresult.stringFor(CUresult.CUDA_ERROR_INVALID_PC), CUresult.stringFor(CUresult.CUDA_ERROR_HARDWARE_STACK_ERROR),
            CUresult.stringFor(CUresult.CUDA_ERROR_ASSERT), CUresult.stringFor(CUresult.CUDA_ERROR_ECC_UNCORRECTABLE),
            CUresult.stringFor(CUresult.CUDA_ERROR_CONTEXT_IS_DESTROYED));

    /** The first fault of this JVM: "test: message" (the context is per process, so is the fault). */
    private static volatile String firstFault;

    /** Whether {@code t} (or a cause) is a CUDA error that leaves the context unusable. */
    static boolean sticky(Throwable t) {
        for (Throwable c = t; c != null; c = c.getCause()) {
            if (c instanceof CudaException && c.getMessage() != null) {
                for (String s : STICKY) if (c.getMessage().contains(s)) return true;
            }
        }
        return false;
    }

    static String firstFault() {
        return firstFault;
    }

    static void reset() {
        firstFault = null;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        String f = firstFault;
        if (f != null) throw new TestAbortedException("not run: the CUDA context is unusable after the first device fault, in " + f);
    }

    @Override
    public void handleTestExecutionException(ExtensionContext context, Throwable t) throws Throwable {
        record(context.getDisplayName(), t);
        throw t;
    }

    /** Remembers {@code t} if it is the first sticky fault. */
    static void record(String test, Throwable t) {
        if (firstFault == null && sticky(t)) {
            firstFault = test + ": " + t.getMessage();
            System.err.println("[autospec] device fault in " + firstFault + " -- the remaining GPU tests will not run (the CUDA context is poisoned)");
        }
    }
}
