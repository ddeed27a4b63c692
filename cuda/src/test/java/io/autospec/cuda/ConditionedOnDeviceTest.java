package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.Conditioned;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * Infilling on the (emulated) CUDA backend: a pinned zoo model runs on the backend's CPU threads and
 * gives the CPU backend's samples bit for bit, for every strategy.
 */
class ConditionedOnDeviceTest {
    @Test
    void pinnedModelsGiveTheCpuSamples() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated CUDA backend skipped: " + r.reason());
        List<ConditionalOracle> models = List.of(MarkovChain.stay(40, 3, 0.8), new CurieWeiss(30, 0.9, 0.0), ParityOracle.random(24, 6, 2));
        List<Strategy> strategies = List.of(Autospec.speculative(), Autospec.token(4), Autospec.auto());
        for (ConditionalOracle m : models) {
            int[] given = new int[m.length()];
            java.util.Arrays.fill(given, -1);
            given[3] = 1;
            given[m.length() / 2] = 0;
            if (m instanceof ParityOracle) { // pins of positive probability: values of a sample
                int[] x;
                try (CpuBackend cpu = new CpuBackend(1)) {
                    x = Autospec.autoregressive(m).seed(3).backend(cpu).sample(1).samples().get(0);
                }
                given[3] = x[3];
                given[m.length() / 2] = x[m.length() / 2];
            }
            Conditioned c = Conditioned.of(m, given);
            for (Strategy st : strategies) {
                RunResult<int[]> want, got;
                try (CpuBackend cpu = new CpuBackend(1)) {
                    want = Autospec.autoregressive(c).strategy(st).seed(5).backend(cpu).sample(4);
                }
                try (CudaBackend gpu = new CudaBackend(new EmulatedDevice(r.executable(), 1L << 28),
                        CudaBackend.Options.defaults().withCpuThreads(2))) {
                    got = Autospec.autoregressive(c).strategy(st).seed(5).backend(gpu).sample(4);
                }
                for (int i = 0; i < 4; i++) assertArrayEquals(want.samples().get(i), got.samples().get(i), m.describe() + " x " + st);
            }
        }
    }
}
