package io.autospec.backend;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

class BackendsTest {

    @Test
    void cpuIsAlwaysThere() {
        try (Backend b = Backends.open("cpu", 2)) {
            assertEquals("cpu", b.name());
            assertTrue(b.describe().contains("2 threads"));
        }
    }

    @Test
    void unknownModeIsRejected() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("tpu", 1));
        assertTrue(e.getMessage().contains("tpu"));
    }

    /** The core alone has no CUDA provider: {@code auto} runs on the CPU, {@code cuda} says why in one line. */
    @Test
    void withoutTheCudaProviderAutoFallsBackAndCudaSaysWhy() {
        // The core's tests run without autospec-cuda (the GPU bundle's test jar runs them beside it).
        Assumptions.assumeTrue(Backends.provider("cuda") == null, "autospec-cuda is on the class path");
        try (Backend b = Backends.open("auto", 1)) {
            assertEquals("cpu", b.name());
        }
        Backends.UnavailableException e = assertThrows(Backends.UnavailableException.class, () -> Backends.open("cuda", 1));
        assertTrue(e.getMessage().contains(Backends.NO_CUDA_PROVIDER), e.getMessage());
        assertTrue(!e.getMessage().contains("\n"), e.getMessage());
    }

    @Test
    void negativeThreadsAreRefusedNamingTheValue() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Backends.open("cpu", -3));
        assertTrue(e.getMessage().contains("-3"), e.getMessage());
    }

    /** A closed backend says so, on one thread and on a pool alike (not a bare RejectedExecutionException). */
    @Test
    void aClosedCpuBackendSaysItIsClosed() {
        for (int threads : new int[] {1, 2}) {
            CpuBackend b = new CpuBackend(threads);
            b.close();
            io.autospec.ar.ConditionalOracle m = io.autospec.ar.models.MarkovChain.stay(8, 2, 0.9);
            io.autospec.ar.ConditionalBatch batch = new io.autospec.ar.ConditionalBatch(m, b);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.conditionals(m, batch, 0, 0));
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
    }
}
