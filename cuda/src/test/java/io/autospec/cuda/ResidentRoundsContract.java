package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ProductOracle;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Coupling;
import io.autospec.core.OracleException;
import io.autospec.core.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * Device-resident rounds (ResidentRun, kernels/fixed_point_kernels.cuh) on a device: the
 * {@code sequential} and {@code jacobi} strategies give the CPU engine's samples bit for bit, with the
 * same rounds and queries, for every eligible AR family, window and coupling; a bad row stops the run
 * with the CPU engine's message; the device state and the graph are freed on every path. Run on the
 * host emulator ({@link EmulatedResidentRoundsTest}) and on a GPU ({@link GpuResidentRoundsTest}, where
 * the graph is a real CUDA graph).
 */
abstract class ResidentRoundsContract {
    /** A backend on the device under test, with these options. */
    abstract CudaBackend backend(CudaBackend.Options options);

    /** Live native objects of the device (allocations, graphs) as the device itself counts them. */
    abstract long deviceLive(CudaBackend backend);

    private CudaBackend emulated() {
        return backend(CudaBackend.Options.defaults().withCpuThreads(1));
    }

    private static Map<String, ConditionalOracle> models() {
        Map<String, ConditionalOracle> m = new LinkedHashMap<>();
        m.put("product q=3", ProductOracle.random(40, 3, 11));
        m.put("markov q=2", MarkovChain.stay(48, 2, 0.9));
        m.put("potts q=4", MarkovChain.stay(33, 4, 0.7));
        m.put("table", Zoo.table(6, 3, 7));
        m.put("curie-weiss (summary: ones)", new io.autospec.ar.models.CurieWeiss(36, 1.3, 0.1));
        m.put("curie-weiss high temperature", new io.autospec.ar.models.CurieWeiss(29, 0.4, -0.2));
        m.put("parity (summary: syndrome)", io.autospec.ar.models.ParityOracle.random(24, 5, 3));
        m.put("wrapped product (test family)", new TestFamily.Wrapped(ProductOracle.random(17, 5, 3)));
        return m;
    }

    private static Map<String, Supplier<Strategy>> strategies() {
        Map<String, Supplier<Strategy>> s = new LinkedHashMap<>();
        s.put("sequential", Autospec::sequential);
        s.put("sequential gumbel", () -> Autospec.sequential().coupling(Coupling.GUMBEL));
        s.put("jacobi", Autospec::jacobi);
        s.put("jacobi:window=5", () -> Autospec.jacobi(5));
        s.put("jacobi:window=1", () -> Autospec.jacobi(1));
        s.put("jacobi inverse-cdf", () -> Autospec.jacobi().coupling(Coupling.INVERSE_CDF));
        s.put("jacobi:window=7 gumbel", () -> Autospec.jacobi(7).coupling(Coupling.GUMBEL));
        s.put("token:window=1", () -> Autospec.token(1));
        s.put("token:window=4", () -> Autospec.token(4));
        s.put("token:window=9", () -> Autospec.token(9));
        s.put("token adaptive min 2", () -> io.autospec.ar.TokenSampler.adaptive(2));
        s.put("token adaptive", Autospec::tokenAdaptive);
        s.put("auto", Autospec::auto);
        s.put("auto window=6 gumbel", () -> Autospec.auto().window(6).coupling(Coupling.GUMBEL));
        s.put("auto no hedge", () -> Autospec.auto().hedge(false));
        return s;
    }

    @Test
    void residentRoundsGiveTheEngineSamplesRoundsAndQueries() {
        List<String> checked = new ArrayList<>(), handedBack = new ArrayList<>();
        long handBacksBefore = 0;
        try (CudaBackend cuda = emulated(); CpuBackend cpu = new CpuBackend(1)) {
            for (var model : models().entrySet()) {
                for (var strategy : strategies().entrySet()) {
                    String what = model.getKey() + " / " + strategy.getKey();
                    RunResult<int[]> want = Autospec.autoregressive(model.getValue()).strategy(strategy.getValue().get())
                            .backend(cpu).seed(5).firstSampleId(3).sample(6);
                    long before = cuda.stats().residentRounds();
                    RunResult<int[]> got = Autospec.autoregressive(model.getValue()).strategy(strategy.getValue().get())
                            .backend(cuda).seed(5).firstSampleId(3).sample(6);
                    long handBacks = cuda.stats().handBacks();
                    long replayed = cuda.stats().residentRounds() - before;
                    if (handBacks == handBacksBefore) {
                        assertEquals(want.metrics().rounds(), replayed, what + ": rounds replayed on the device");
                    } else { // auto handed the run back where drafting starts: the engine ran the rest
                        assertTrue(replayed >= 1 && replayed < want.metrics().rounds(), what + ": " + replayed + " rounds on the device");
                        handedBack.add(what);
                    }
                    handBacksBefore = handBacks;
                    assertEquals(want.metrics().rounds(), got.metrics().rounds(), what + ": rounds");
                    assertEquals(want.metrics().queries(), got.metrics().queries(), what + ": queries");
                    assertEquals(want.metrics().maxRoundQueries(), got.metrics().maxRoundQueries(), what + ": largest round");
                    for (int s = 0; s < 6; s++) assertArrayEquals(want.samples().get(s), got.samples().get(s), what + ": sample " + s);
                    checked.add(what);
                }
            }
            assertEquals(0, cuda.stats().residentLive(), "resident state left on the device");
        }
        assertEquals(models().size() * strategies().size(), checked.size());
        System.out.println("auto runs handed back to the engine where drafting starts: " + handedBack);
    }

    @Test
    void wideWindowsFoldSummariesWithTheBlockedScan() {
        // Windows wider than ResidentRun.SCAN_WIDTH: the summaries come from the blocked scan (chunks of 256).
        try (CudaBackend cuda = emulated(); CpuBackend cpu = new CpuBackend(1)) {
            // beta = 0: independent spins, so whole token windows are accepted and the bonus token, whose
            // query reads the summary after the whole window (the scan's last prefix), is drawn.
            for (ConditionalOracle m : List.of(new io.autospec.ar.models.CurieWeiss(600, 1.2, 0.05),
                    new io.autospec.ar.models.CurieWeiss(600, 0.0, 0.3), io.autospec.ar.models.ParityOracle.random(530, 6, 5))) {
                for (Strategy strategy : List.of(Autospec.jacobi(), Autospec.jacobi(300), Autospec.auto(), Autospec.tokenAdaptive(),
                        Autospec.token(513), Autospec.token(300))) {
                    String what = m.describe() + " / " + strategy;
                    RunResult<int[]> want = Autospec.autoregressive(m).strategy(strategy).backend(cpu).seed(8).sample(3);
                    long before = cuda.stats().residentRounds();
                    RunResult<int[]> got = Autospec.autoregressive(m).strategy(strategy).backend(cuda).seed(8).sample(3);
                    assertTrue(cuda.stats().residentRounds() > before, what + ": ran on the device");
                    assertEquals(want.metrics().rounds(), got.metrics().rounds(), what + ": rounds");
                    assertEquals(want.metrics().queries(), got.metrics().queries(), what + ": queries");
                    for (int s = 0; s < 3; s++) assertArrayEquals(want.samples().get(s), got.samples().get(s), what + ": sample " + s);
                }
            }
        }
    }

    /** The engine's run and the device's with a planted flag set during it: {engine, planted}. */
    private List<RunResult<int[]>> plantedRun(ConditionalOracle m, Strategy strategy, int samples, Runnable set, Runnable reset) {
        try (CudaBackend cuda = emulated(); CpuBackend cpu = new CpuBackend(1)) {
            RunResult<int[]> want = Autospec.autoregressive(m).strategy(strategy).backend(cpu).seed(9).sample(samples);
            set.run();
            try {
                RunResult<int[]> got = Autospec.autoregressive(m).strategy(strategy).backend(cuda).seed(9).sample(samples);
                assertTrue(cuda.stats().residentRounds() > 0, "the planted run ran on the device");
                return List.of(want, got);
            } finally {
                reset.run();
            }
        }
    }

    private static int differing(List<RunResult<int[]>> runs) {
        int differ = 0;
        for (int s = 0; s < runs.get(0).samples().size(); s++) {
            if (!java.util.Arrays.equals(runs.get(0).samples().get(s), runs.get(1).samples().get(s))) differ++;
        }
        return differ;
    }

    @Test
    void theSameComparisonRejectsAPlantedOverCertifyingRound() {
        // A short, sticky chain: the step after the first change is often a neighbour whose law depends on it.
        var runs = plantedRun(MarkovChain.stay(6, 2, 0.95), Autospec.jacobi(), 40,
                () -> ResidentFixedPoint.plantedOverCertify = true, () -> ResidentFixedPoint.plantedOverCertify = false);
        assertTrue(differing(runs) > 0, "the planted over-certifying round gave the engine's samples");
    }

    @Test
    void theSameComparisonRejectsAPlantedTokenWithoutResidual() {
        var runs = plantedRun(MarkovChain.stay(24, 3, 0.8), Autospec.token(6), 20,
                () -> ResidentTokens.plantedNoResidual = true, () -> ResidentTokens.plantedNoResidual = false);
        assertTrue(differing(runs) > 0, "the planted token variant without residual gave the engine's samples");
    }

    @Test
    void theSameComparisonRejectsAPlantedEagerDraftPolicy() {
        // auto's output is the sequential sample whatever the guesses: a wrong policy shows in rounds and queries.
        var runs = plantedRun(MarkovChain.stay(48, 2, 0.9), Autospec.auto(), 6,
                () -> ResidentFixedPoint.plantedEagerDrafts = true, () -> ResidentFixedPoint.plantedEagerDrafts = false);
        assertEquals(0, differing(runs), "auto's samples do not depend on its guesses");
        assertTrue(runs.get(0).metrics().rounds() != runs.get(1).metrics().rounds()
                || runs.get(0).metrics().queries() != runs.get(1).metrics().queries(), "the planted eager draft policy gave the engine's rounds and queries");
    }

    @Test
    void strategiesWithoutDeviceRoundsStayOnTheEngine() {
        try (CudaBackend cuda = emulated()) {
            Autospec.autoregressive(MarkovChain.stay(20, 2, 0.9)).strategy(Autospec.speculative()).backend(cuda).seed(1).sample(2);
            Autospec.autoregressive(MarkovChain.stay(20, 2, 0.9)).strategy(Autospec.auto().redraft(false)).backend(cuda).seed(1).sample(2);
            Autospec.autoregressive(MarkovChain.stay(20, 2, 0.9)).strategy(Autospec.auto().budget(3)).backend(cuda).seed(1).sample(2);
            Autospec.autoregressive(MarkovChain.stay(20, 2, 0.9)).strategy(Autospec.jacobi()).capacity(10).backend(cuda).seed(1).sample(2);
            assertEquals(0, cuda.stats().residentRounds(), "rounds replayed on the device");
            assertTrue(cuda.stats().launches() > 0);
        }
    }

    /** Rows the engine must refuse, the same on the host and on the device. */
    private static Map<String, double[][]> badRows() {
        Map<String, double[][]> m = new LinkedHashMap<>();
        int n = 12;
        m.put("NaN", rows(n, 7, new double[] {Double.NaN, 0.5, 0.5}));
        m.put("negative", rows(n, 4, new double[] {0.6, -0.1, 0.5}));
        m.put("infinite", rows(n, 9, new double[] {0.2, Double.POSITIVE_INFINITY, 0.0}));
        m.put("unnormalised", rows(n, 2, new double[] {0.2, 0.2, 0.2}));
        m.put("no mass on a drawn step", rows(n, 5, new double[] {0, 0, 0}));
        return m;
    }

    private static double[][] rows(int n, int at, double[] bad) {
        double[][] r = new double[n][];
        for (int i = 0; i < n; i++) r[i] = i == at ? bad : new double[] {0.2, 0.3, 0.5};
        return r;
    }

    @Test
    void aBadRowStopsTheRunWithTheEngineMessageAndFreesTheState() {
        try (CudaBackend cuda = emulated(); CpuBackend cpu = new CpuBackend(1)) {
            for (var bad : badRows().entrySet()) {
                for (Supplier<Strategy> strategy : List.<Supplier<Strategy>>of(Autospec::sequential, Autospec::jacobi, () -> Autospec.jacobi(4),
                        () -> Autospec.token(3), Autospec::tokenAdaptive, Autospec::auto, () -> Autospec.auto().window(3))) {
                    TestFamily.Raw oracle = new TestFamily.Raw(bad.getValue());
                    OracleException want = assertThrows(OracleException.class,
                            () -> Autospec.autoregressive(oracle).strategy(strategy.get()).backend(cpu).seed(2).sample(3));
                    long before = cuda.stats().residentRounds();
                    OracleException got = assertThrows(OracleException.class,
                            () -> Autospec.autoregressive(oracle).strategy(strategy.get()).backend(cuda).seed(2).sample(3));
                    assertTrue(cuda.stats().residentRounds() > before || cuda.stats().residentLive() == 0, "ran on the device");
                    assertEquals(want.getMessage(), got.getMessage(), bad.getKey() + " / " + strategy.get());
                    assertEquals(0, cuda.stats().residentLive(), bad.getKey() + ": resident state left after the error");
                }
            }
        }
    }

    @Test
    void aResidentRunLeavesNothingBehindOnTheDevice() {
        try (CudaBackend cuda = emulated()) {
            var run = Autospec.autoregressive(MarkovChain.stay(30, 2, 0.9)).strategy(Autospec.jacobi()).backend(cuda).seed(1);
            run.sample(4); // the first run also sizes the backend's own staging buffer and uploads the model
            long live = deviceLive(cuda);
            int heapLive = cuda.stats().liveAllocations();
            run.sample(4);
            assertTrue(cuda.stats().residentRounds() > 0);
            assertEquals(heapLive, cuda.stats().liveAllocations(), "allocations after a second resident run");
            assertEquals(live, deviceLive(cuda), "device objects after a second resident run");
            assertThrows(OracleException.class, () -> Autospec.autoregressive(new TestFamily.Raw(rows(12, 3, new double[] {Double.NaN, 1, 0})))
                    .strategy(Autospec.jacobi()).backend(cuda).seed(1).sample(4));
            assertEquals(0, cuda.stats().residentLive(), "resident state after an error");
        }
    }

    @Test
    void stateThatDoesNotFitTheBudgetFallsBackToTheEngine() {
        // 128 KiB of budget: the engine's launches fit (split as needed), the resident state of 4 samples x 3000 steps does not.
        CudaBackend.Options small = CudaBackend.Options.defaults().withCpuThreads(1).withMemoryBudget(1L << 17);
        try (CudaBackend cuda = backend(small);
             CpuBackend cpu = new CpuBackend(1)) {
            ConditionalOracle m = ProductOracle.random(3000, 2, 5);
            RunResult<int[]> want = Autospec.autoregressive(m).strategy(Autospec.jacobi()).backend(cpu).seed(3).sample(4);
            RunResult<int[]> got = Autospec.autoregressive(m).strategy(Autospec.jacobi()).backend(cuda).seed(3).sample(4);
            assertEquals(0, cuda.stats().residentRounds());
            assertEquals(0, cuda.stats().residentLive());
            assertEquals(want.metrics().rounds(), got.metrics().rounds());
            for (int s = 0; s < 4; s++) assertArrayEquals(want.samples().get(s), got.samples().get(s));
        }
    }
}
