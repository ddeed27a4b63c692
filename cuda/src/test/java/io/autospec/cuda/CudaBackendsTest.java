package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.backend.Backend;
import io.autospec.backend.Backends;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/** {@code Backends.open} with this provider on the class path (the core's BackendsTest runs without it). */
class CudaBackendsTest {

    @Test
    void theProviderIsFound() {
        assertTrue(Backends.provider("cuda") instanceof CudaBackendProvider);
    }

    @Test
    void withoutCudaAutoFallsBackAndCudaSaysWhy() {
        CudaProbe.Result probe = CudaProbe.probe();
        Assumptions.assumeFalse(probe.available(), "CUDA is available here");
        assertNotNull(probe.reason());
        try (Backend b = Backends.open("auto", 1)) {
            assertEquals("cpu", b.name());
        }
        Backends.UnavailableException e = assertThrows(Backends.UnavailableException.class, () -> Backends.open("cuda", 1));
        assertTrue(e.getMessage().contains(probe.reason()), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void theFirstLinkageErrorIsRemembered() {
        CudaProbe.Result first = CudaProbe.probe();
        Assumptions.assumeTrue(first.cause() instanceof LinkageError, "JCuda loaded here");
        // JCuda's class is now unusable: touching it again throws NoClassDefFoundError...
        assertThrows(LinkageError.class, () -> jcuda.driver.JCudaDriver.cuInit(0));
        // ...but the probe keeps the original reason (the loader's message, not "Could not initialize class").
        assertSame(first, CudaProbe.probe());
        assertTrue(first.cause() instanceof UnsatisfiedLinkError, String.valueOf(first.cause()));
        assertTrue(!first.reason().contains("Could not initialize"), first.reason());
    }

    @Test
    void withCudaBothModesOpenIt() {
        Assumptions.assumeTrue(CudaProbe.probe().available(), () -> "no CUDA: " + CudaProbe.probe().reason());
        try (Backend b = Backends.open("cuda", 1)) {
            assertEquals("cuda", b.name());
        }
        try (Backend b = Backends.open("auto", 1)) {
            assertEquals("cuda", b.name());
        }
    }
}
