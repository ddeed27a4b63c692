package io.autospec.testing;

import io.autospec.backend.CpuBackend;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/** Test classes extending this share one two-thread CPU backend, opened once and closed after. */
public abstract class WithCpuBackend {
    protected static CpuBackend backend;

    @BeforeAll
    static void openBackend() {
        backend = new CpuBackend(2);
    }

    @AfterAll
    static void closeBackend() {
        backend.close();
    }
}
