package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.SpanningTrees;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The CUDA backend (on the host emulator) has no device implementation of the determinantal
 * oracles yet: it evaluates them on its CPU threads, with one log line saying so, and draws the same
 * samples, rounds and queries as the CPU backend.
 */
class DeterminantalOnCudaBackendTest {
    @Test
    void sameSamplesAsTheCpuBackend() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated CUDA backend tests skipped: " + r.reason());
        ConditionalOracle[] oracles = {SpanningTrees.grid(4, 3).oracle(), new AztecDiamond(3).oracle()};
        Strategy[] strategies = {Autospec.speculative(), Autospec.token(4)};
        try (CudaBackend gpu = new CudaBackend(new EmulatedDevice(r.executable(), 1L << 30),
                CudaBackend.Options.defaults().withMemoryBudget(1L << 30).withCpuThreads(2));
             CpuBackend cpu = new CpuBackend(2)) {
            for (ConditionalOracle oracle : oracles) {
                for (Strategy s : strategies) {
                    RunResult<int[]> a = Autospec.autoregressive(oracle).strategy(s).seed(3).backend(cpu).sample(6);
                    RunResult<int[]> b = Autospec.autoregressive(oracle).strategy(s).seed(3).backend(gpu).sample(6);
                    for (int i = 0; i < 6; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), oracle.describe() + " " + s);
                    assertEquals(a.metrics().rounds(), b.metrics().rounds());
                    assertEquals(a.metrics().queries(), b.metrics().queries());
                }
            }
        }
    }
}
