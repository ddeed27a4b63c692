package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ArTesting;
import io.autospec.ar.ArZoo;
import io.autospec.core.Coupling;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The device-resident rounds, and the engine's launches on the device (request records expanded and
 * rows validated there), draw from the model's law: chi-square of their samples against the
 * exact law enumerated from each model's definition ({@link ArZoo}), on the host emulator. Each check
 * is {@link GoodnessOfFit#standard} (5 replicates at alpha = 0.01, fails on 3 or more rejections:
 * false-failure rate 9.9e-6 per check). The planted wrong rounds (over-certifying Jacobi, token
 * windows without their residual) are rejected by the same check; a planted wrong request expansion of
 * the engine's launches is rejected by RequestRecordsTest's comparison with the CPU backend. Skipped, with the reason, without
 * a host C++ compiler.
 */
class ResidentGoodnessOfFitTest {
    private static final int SAMPLES = 2500;

    @BeforeAll
    static void emulator() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "resident goodness of fit skipped: " + r.reason());
    }

    private static CudaBackend emulated() {
        return emulated(true);
    }

    private static CudaBackend emulated(boolean resident) {
        return new CudaBackend(new EmulatedDevice(HostBuild.emulator().executable(), 1L << 28),
                CudaBackend.Options.defaults().withCpuThreads(1).withResidentRounds(resident));
    }

    /** The p-values of {@link GoodnessOfFit#standard} for {@code strategy} on the model, every run resident. */
    private static GoodnessOfFit.Outcome check(CudaBackend cuda, ArZoo.Model model, Supplier<Strategy> strategy) {
        return GoodnessOfFit.standard(replicate -> {
            long before = cuda.stats().residentRounds(), launches = cuda.stats().launches();
            RunResult<int[]> r = Autospec.autoregressive(model.oracle()).strategy(strategy.get()).backend(cuda)
                    .seed(1000 + replicate).sample(SAMPLES);
            boolean resident = cuda.stats().residentRounds() > before;
            assertTrue(resident == cuda.options().residentRounds() && cuda.stats().launches() > launches,
                    model + ": the rounds ran on the device " + (cuda.options().residentRounds() ? "resident" : "as the engine's launches"));
            long[] counts = new long[model.law().length];
            for (int[] x : r.samples()) counts[ArTesting.index(x, model.q())]++;
            return GoodnessOfFit.chiSquarePValue(model.law(), counts);
        });
    }

    @Test
    void residentRoundsDrawFromTheExactLaw() {
        Map<String, Supplier<Strategy>> strategies = new LinkedHashMap<>();
        strategies.put("sequential", Autospec::sequential);
        strategies.put("jacobi", Autospec::jacobi);
        strategies.put("jacobi:window=2 gumbel", () -> Autospec.jacobi(2).coupling(Coupling.GUMBEL));
        strategies.put("token:window=3", () -> Autospec.token(3));
        strategies.put("token adaptive min 2", () -> io.autospec.ar.TokenSampler.adaptive(2));
        strategies.put("auto", Autospec::auto);
        try (CudaBackend cuda = emulated()) {
            for (ArZoo.Model model : List.of(ArZoo.stay(5, 3, 0.75), ArZoo.curieWeiss(7, 1.3, 0.1), ArZoo.parity(7, 3, 11))) {
                for (var s : strategies.entrySet()) {
                    GoodnessOfFit.Outcome o = check(cuda, model, s.getValue());
                    assertTrue(o.passed(), model + " / " + s.getKey() + ": " + o);
                }
            }
        }
    }

    @Test
    void theEnginesLaunchesOnTheDeviceDrawFromTheExactLaw() {
        Map<String, Supplier<Strategy>> strategies = new LinkedHashMap<>();
        strategies.put("speculative", Autospec::speculative);
        strategies.put("token:window=3", () -> Autospec.token(3));
        strategies.put("jacobi", Autospec::jacobi);
        try (CudaBackend cuda = emulated(false)) {
            for (ArZoo.Model model : List.of(ArZoo.stay(5, 3, 0.75), ArZoo.curieWeiss(7, 1.3, 0.1))) {
                for (var s : strategies.entrySet()) {
                    GoodnessOfFit.Outcome o = check(cuda, model, s.getValue());
                    assertTrue(o.passed(), model + " / " + s.getKey() + " (engine launches): " + o);
                }
            }
        }
    }

    @Test
    void theSameCheckRejectsPlantedWrongRounds() {
        ArZoo.Model model = ArZoo.stay(5, 3, 0.9);
        try (CudaBackend cuda = emulated()) {
            ResidentFixedPoint.plantedOverCertify = true;
            try {
                GoodnessOfFit.Outcome o = check(cuda, model, Autospec::jacobi);
                assertTrue(!o.passed(), "over-certifying rounds passed: " + o);
            } finally {
                ResidentFixedPoint.plantedOverCertify = false;
            }
            ResidentTokens.plantedNoResidual = true;
            try {
                GoodnessOfFit.Outcome o = check(cuda, model, () -> Autospec.token(4));
                assertTrue(!o.passed(), "token windows without their residual passed: " + o);
            } finally {
                ResidentTokens.plantedNoResidual = false;
            }
        }
    }
}
