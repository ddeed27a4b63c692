package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ArProcess;
import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.det.AztecDiamond;
import io.autospec.ar.models.det.DeterminantalOracle;
import io.autospec.ar.models.det.LEnsemble;
import io.autospec.ar.models.det.PlantedDeterminantalVariants;
import io.autospec.ar.models.det.SpanningTrees;
import io.autospec.backend.CpuBackend;
import io.autospec.spi.Node;
import io.autospec.core.RoundScheduler;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DiffusionProcess;
import io.autospec.diffusion.DriftBatch;
import io.autospec.diffusion.Schedule;
import io.autospec.spi.Key;
import io.autospec.internal.rng.Philox;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * What the CUDA backend must do on any {@link Device}: same seed, same samples and same rounds as the
 * CPU backend for every strategy and AR zoo model; the same conditionals as the Java oracles query by
 * query; diffusion drifts within 1e-9; the host draws reproduced; launches split under a small memory
 * budget and still correct; buffers reused across runs; nothing left allocated after close. Run on
 * the host emulator by {@link EmulatedBackendTest} and on a real GPU by {@link GpuBackendTest}.
 *
 * <p>Exactness: the kernels are compiled with --fmad=false and do the Java code's arithmetic in the
 * Java code's order, so every output without a transcendental function (product, Markov/Potts,
 * parity, table, Philox, uniforms, categorical draws) is compared bit for bit. Curie-Weiss (exp/log),
 * Box-Muller normals (log/cos/sin) and log-sums go through the device's libm, within a few ulps of
 * Java's; mixture and box drifts also differ in formulation, and are compared to 1e-9.
 */
abstract class BackendContract {

    /** A fresh device (the backend takes ownership and closes it). */
    abstract Device newDevice();

    /** Asserts the device holds no memory the backend allocated (called after the backend closed). */
    abstract void assertNothingLeft(Device device);

    /** Runs of the buffer-reuse test (many on a GPU, fewer on the slow emulator). */
    int reuseRuns() {
        return 20;
    }

    CudaBackend backend(long budget) {
        return new CudaBackend(newDevice(), CudaBackend.Options.defaults().withMemoryBudget(budget).withCpuThreads(2));
    }

    static final long LARGE = 1L << 30;

    static Map<String, Strategy> strategies() {
        Map<String, Strategy> s = new LinkedHashMap<>();
        s.put("sequential", Autospec.sequential());
        s.put("speculative", Autospec.speculative());
        s.put("speculative-rho0.5-span4", Autospec.speculative().rho(0.5).maxSpeculationSpan(4));
        s.put("token-3", Autospec.token(3));
        s.put("jacobi", Autospec.jacobi());
        s.put("jacobi-3", Autospec.jacobi(3));
        s.put("auto-budget2", Autospec.auto().budget(2));
        return s;
    }

    /**
     * The gumbel coupling (draws on the host from Philox noise keyed by step and value): on the device
     * backend sequential, jacobi and auto give the CPU's samples and rounds, and jacobi/auto give the
     * sequential-under-gumbel samples, on every AR model of the zoo and a determinantal one.
     */
    @Test
    void gumbelSamplesEqualCpuAndSequentialForEveryModel() {
        io.autospec.core.Coupling g = io.autospec.core.Coupling.GUMBEL;
        Map<String, Strategy> strategies = new LinkedHashMap<>();
        strategies.put("sequential", Autospec.sequential().coupling(g));
        strategies.put("jacobi", Autospec.jacobi().coupling(g));
        strategies.put("jacobi-3", Autospec.jacobi(3).coupling(g));
        strategies.put("auto", Autospec.auto().coupling(g));
        Map<String, ConditionalOracle> models = new LinkedHashMap<>(Zoo.ar(10));
        models.put("dpp", LEnsemble.random(12, 6, 5).oracle());
        Device device = newDevice();
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(LARGE).withCpuThreads(2));
             CpuBackend cpu = new CpuBackend(2)) {
            for (Map.Entry<String, ConditionalOracle> m : models.entrySet()) {
                RunResult<int[]> seq = null;
                for (Map.Entry<String, Strategy> s : strategies.entrySet()) {
                    RunResult<int[]> a = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(7).backend(cpu).sample(5);
                    RunResult<int[]> b = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(7).backend(gpu).sample(5);
                    if (seq == null) seq = b;
                    String what = m.getKey() + " / " + s.getKey() + " under gumbel";
                    for (int i = 0; i < 5; i++) {
                        assertArrayEquals(a.samples().get(i), b.samples().get(i), what + ": sample " + i);
                        assertArrayEquals(seq.samples().get(i), b.samples().get(i), what + " vs sequential: sample " + i);
                    }
                    assertEquals(a.metrics().rounds(), b.metrics().rounds(), what + ": rounds");
                }
            }
        }
        assertNothingLeft(device);
    }

    @Test
    void arSamplesAndRoundsEqualCpuForEveryModelAndStrategy() {
        Device device = newDevice();
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(LARGE).withCpuThreads(2));
             CpuBackend cpu = new CpuBackend(2)) {
            for (Map.Entry<String, ConditionalOracle> m : Zoo.ar(10).entrySet()) {
                assertOnDevice(gpu, m.getKey(), m.getValue());
                for (Map.Entry<String, Strategy> s : strategies().entrySet()) {
                    for (long seed : new long[] {1, 99}) {
                        RunResult<int[]> a = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(seed).backend(cpu).sample(5);
                        RunResult<int[]> b = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(seed).backend(gpu).sample(5);
                        String what = m.getKey() + " / " + s.getKey() + " / seed " + seed;
                        for (int i = 0; i < 5; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), what + ": sample " + i);
                        assertEquals(a.metrics().rounds(), b.metrics().rounds(), what + ": rounds");
                        assertEquals(a.metrics().queries(), b.metrics().queries(), what + ": queries");
                        assertEquals(a.metrics().launches(), b.metrics().launches(), what + ": launches");
                    }
                }
            }
            CudaBackend.Stats st = gpu.stats();
            assertTrue(st.launches() > 0 && st.kernelLaunches() >= st.launches(), st.toString());
        }
        assertNothingLeft(device);
    }

    @Test
    void conditionalsEqualTheJavaOraclesQueryByQuery() {
        Map<String, ConditionalOracle> models = new LinkedHashMap<>(Zoo.ar(24));
        models.put("potts-untabulated", MarkovChain.stay(8193, 32, 0.6)); // n q^2 > 2^23: binary powering path
        models.put("curie-weiss-low-temp", new CurieWeiss(300, 2.5, 0.0)); // not log-concave: full sums
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(1)) {
            for (Map.Entry<String, ConditionalOracle> m : models.entrySet()) {
                ConditionalOracle oracle = m.getValue();
                ConditionalBatch batch = randomBatch(oracle, 300, 17);
                int q = oracle.alphabet();
                cpu.conditionals(oracle, batch, 0, batch.size());
                double[] want = batch.out().clone();
                java.util.Arrays.fill(batch.out(), Double.NaN);
                gpu.conditionals(oracle, batch, 0, batch.size());
                double[] got = batch.out();
                boolean transcendental = oracle instanceof CurieWeiss;
                for (int j = 0; j < batch.size(); j++) {
                    for (int v = 0; v < q; v++) {
                        double x = want[j * q + v], y = got[j * q + v];
                        String what = m.getKey() + ": " + batch.describe(j) + " value " + v;
                        if (transcendental) assertEquals(x, y, 1e-13 * Math.max(1e-300, Math.abs(x)) + 1e-300, what);
                        else assertEquals(Double.doubleToLongBits(x), Double.doubleToLongBits(y), what + ": " + x + " vs " + y);
                    }
                }
            }
        }
        assertNothingLeft(device);
    }

    private CudaBackend backend(Device device) {
        return new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(LARGE).withCpuThreads(1));
    }

    /**
     * {@code count} queries over several samples: each sample's branch pins a random number of steps
     * with random values (impossible contexts included), queried at free and pinned positions with k
     * up to the branch length.
     */
    static ConditionalBatch randomBatch(ConditionalOracle oracle, int count, long seed) {
        return randomBatch(oracle, count, seed, 6, 0);
    }

    /** As above with {@code samples} samples whose branches pin at least {@code minLength} steps. */
    static ConditionalBatch randomBatch(ConditionalOracle oracle, int count, long seed, int samples, int minLength) {
        int n = oracle.length(), q = oracle.alphabet();
        Key key = Key.ofSeed(seed);
        RoundScheduler<ConditionalBatch> sched = new RoundScheduler<>(new ConditionalBatch(oracle, new CpuBackend(1)), 1 << 20, new RunMetrics(), null);
        ArProcess process = new ArProcess(oracle, sched);
        ConditionalBatch batch = new ConditionalBatch(oracle);
        List<Branch> branches = new ArrayList<>();
        for (int s = 0; s < samples; s++) {
            Branch b = process.start(Node.root(seed, s));
            int len = minLength + key.boundedInt(9, s, n - minLength);
            int[] vals = new int[len];
            for (int i = 0; i < len; i++) vals[i] = key.boundedInt(10, s * n + i, q);
            branches.add(b.extend(vals, 0, len, oracle.prefixSummary()));
            if (minLength == 0) branches.add(b);
        }
        for (int j = 0; j < count; j++) {
            Branch b = branches.get(key.boundedInt(11, j, branches.size()));
            int k = b.length() == 0 ? 0 : key.boundedInt(12, j, b.length() + 1);
            Order o = b.order();
            int r = k + key.boundedInt(13, j, n - k); // a free position given k
            if (oracle instanceof CurieWeiss) k = Math.min(k, n - 1);
            batch.add(b, o.position(Math.min(r, n - 1)), k);
        }
        return batch;
    }

    @Test
    void splitsLaunchesUnderASmallMemoryBudgetAndStaysExact() {
        ConditionalOracle oracle = MarkovChain.stay(48, 3, 0.85);
        RunResult<int[]> want;
        try (CpuBackend cpu = new CpuBackend(1)) {
            want = Autospec.autoregressive(oracle).strategy(Autospec.speculative()).seed(5).backend(cpu).sample(12);
        }
        Device device = newDevice();
        CudaBackend.Stats st;
        // Parameters take ~5 KB; rounds of hundreds of queries (~100 bytes each) must be cut to fit 40 KB.
        long budget = 40_000;
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(budget).withCpuThreads(1))) {
            RunResult<int[]> got = Autospec.autoregressive(oracle).strategy(Autospec.speculative()).seed(5).backend(gpu).sample(12);
            for (int i = 0; i < 12; i++) assertArrayEquals(want.samples().get(i), got.samples().get(i), "sample " + i);
            assertEquals(want.metrics().rounds(), got.metrics().rounds());
            assertEquals(want.metrics().queries(), got.metrics().queries());
            st = gpu.stats();
        }
        assertTrue(st.peakBytes() <= budget, st.toString());
        assertTrue(st.launches() > want.metrics().launches(), "device launches " + st + " vs " + want.metrics().launches() + " scheduler launches");
        assertNothingLeft(device);
    }

    @Test
    void aLaunchThatRunsOutOfMemoryIsHalvedAndStaysExact() {
        // 40 samples' branches of ~1500 pinned values: the arenas need ~0.9 MB (orders 16 KB and values
        // up to 8 KB per branch), which the per-query estimate cannot see, so launches fail and halve.
        MarkovChain oracle = MarkovChain.stay(2000, 2, 0.9);
        ConditionalBatch batch = randomBatch(oracle, 160, 8, 40, 1400);
        double[] want;
        try (CpuBackend cpu = new CpuBackend(1)) {
            cpu.conditionals(oracle, batch, 0, batch.size());
            want = batch.out().clone();
        }
        java.util.Arrays.fill(batch.out(), Double.NaN);
        Device device = newDevice();
        CudaBackend.Stats st;
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(360_000).withCpuThreads(1))) {
            gpu.conditionals(oracle, batch, 0, batch.size());
            st = gpu.stats();
        }
        for (int i = 0; i < batch.size() * 2; i++) assertEquals(want[i], batch.out()[i], 0.0, "output " + i);
        assertTrue(st.splits() > 0 && st.launches() > 1, st.toString());
        assertNothingLeft(device);
    }

    @Test
    void aQueryThatCannotFitIsReportedByName() {
        CurieWeiss cw = new CurieWeiss(100, 0.5, 0);
        ConditionalBatch batch = randomBatch(cw, 4, 3);
        Device device = newDevice();
        // The parameters (101 doubles + 100 ints) fit; one query's buffers do not.
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(1300).withCpuThreads(1))) {
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class, () -> gpu.conditionals(cw, batch, 0, 4));
            assertTrue(e.getMessage().contains("query #0") && e.getMessage().contains("alone does not fit"), e.getMessage());
        }
        assertNothingLeft(device);
    }

    @Test
    void buffersAreReusedAcrossRuns() {
        ConditionalOracle oracle = MarkovChain.stay(16, 2, 0.9);
        Device device = newDevice();
        try (CudaBackend gpu = backend(device)) {
            RunResult<int[]> first = Autospec.autoregressive(oracle).seed(3).backend(gpu).sample(4);
            long allocations = gpu.stats().allocations();
            long bytes = gpu.stats().bytesInUse();
            long free = device.memoryInfo()[0];
            for (int r = 1; r < reuseRuns(); r++) {
                RunResult<int[]> again = Autospec.autoregressive(oracle).seed(3).backend(gpu).sample(4);
                if (r % 97 == 1) assertArrayEquals(first.samples().get(0), again.samples().get(0));
            }
            assertEquals(allocations, gpu.stats().allocations(), "device allocations after the first of " + reuseRuns() + " runs");
            assertEquals(bytes, gpu.stats().bytesInUse());
            assertEquals(free, device.memoryInfo()[0], "free device memory after " + reuseRuns() + " runs");
        }
        assertNothingLeft(device);
    }

    @Test
    void aFamilyAddedByItsOwnFilesRunsOnTheDevice() {
        ConditionalOracle plain = io.autospec.ar.models.ProductOracle.random(12, 3, 4);
        ConditionalOracle wrapped = new TestFamily.Wrapped((io.autospec.ar.models.ProductOracle) plain);
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(1)) {
            assertOnDevice(gpu, "test family", wrapped);
            RunResult<int[]> a = Autospec.autoregressive(plain).seed(5).backend(cpu).sample(6);
            RunResult<int[]> b = Autospec.autoregressive(wrapped).seed(5).backend(gpu).sample(6);
            for (int i = 0; i < 6; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), "sample " + i);
            assertTrue(gpu.stats().launches() > 0);
        }
        assertNothingLeft(device);
    }

    /** A comparison with the CPU means nothing if the "device" side quietly ran on the CPU too. */
    static void assertOnDevice(CudaBackend gpu, String name, Object oracle) {
        assertTrue(gpu.onDevice(oracle), name + " is meant to run on the device but the CUDA backend evaluates it on the CPU");
    }

    @Test
    void oraclesWithoutDeviceCodeRunOnCpuThreads() {
        ConditionalOracle inner = MarkovChain.stay(9, 2, 0.8);
        ConditionalOracle custom = new ConditionalOracle() {
            @Override
            public int length() {
                return inner.length();
            }

            @Override
            public int alphabet() {
                return 2;
            }

            @Override
            public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
                inner.conditionals(batch, from, to, out);
            }
        };
        RunResult<int[]> want = Autospec.autoregressive(inner).seed(8).backend(new CpuBackend(1)).sample(3);
        Device device = newDevice();
        try (CudaBackend gpu = backend(device)) {
            RunResult<int[]> got = Autospec.autoregressive(custom).seed(8).backend(gpu).sample(3);
            for (int i = 0; i < 3; i++) assertArrayEquals(want.samples().get(i), got.samples().get(i));
            assertEquals(0, gpu.stats().launches(), "no device launch for a host-only oracle");
            assertFalse(gpu.onDevice(custom), "a host-only oracle is reported as such");
            assertFalse(gpu.onDevice(new TestDenoisers.Shrink()));
            assertThrows(AssertionError.class, () -> assertOnDevice(gpu, "custom", custom), "the device check can fail");
            RunResult<double[]> d = Autospec.diffusion(new TestDenoisers.Shrink(), Schedule.uniform(4, 0.5)).seed(1).backend(gpu).sample(2);
            assertEquals(2, d.samples().size());
        }
        assertNothingLeft(device);
    }

    // ------------------------------------------------------------------------ determinantal

    /** Small determinantal models: uniform spanning trees (grid, weighted graph), Aztec dominoes (non-symmetric K), a DPP. */
    static Map<String, ConditionalOracle> determinantal() {
        Map<String, ConditionalOracle> m = new LinkedHashMap<>();
        m.put("ust-grid", SpanningTrees.grid(4, 3).oracle());
        // A weighted graph: the 5-wheel with unequal weights, and a parallel edge.
        int[] tail = {0, 0, 0, 0, 0, 1, 2, 3, 4, 1};
        int[] head = {1, 2, 3, 4, 5, 2, 3, 4, 5, 2};
        double[] w = {1.0, 2.5, 0.5, 1.5, 3.0, 0.75, 2.0, 1.25, 0.4, 1.1};
        m.put("ust-weighted", SpanningTrees.of(6, tail, head, w, "weighted wheel").oracle());
        m.put("aztec", new AztecDiamond(3).oracle());
        m.put("dpp", LEnsemble.random(12, 6, 5).oracle());
        return m;
    }

    @Test
    void determinantalSamplesRoundsAndQueriesEqualCpuForEveryStrategy() {
        Map<String, Strategy> strategies = new LinkedHashMap<>();
        strategies.put("sequential", Autospec.sequential());
        strategies.put("speculative", Autospec.speculative());
        strategies.put("token-4", Autospec.token(4));
        strategies.put("jacobi", Autospec.jacobi());
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(2)) {
            for (Map.Entry<String, ConditionalOracle> m : determinantal().entrySet()) {
                assertOnDevice(gpu, m.getKey(), m.getValue());
                for (Map.Entry<String, Strategy> s : strategies.entrySet()) {
                    RunResult<int[]> a = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(3).backend(cpu).sample(4);
                    RunResult<int[]> b = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(3).backend(gpu).sample(4);
                    String what = m.getKey() + " / " + s.getKey();
                    for (int i = 0; i < 4; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), what + ": sample " + i);
                    assertEquals(a.metrics().rounds(), b.metrics().rounds(), what + ": rounds");
                    assertEquals(a.metrics().queries(), b.metrics().queries(), what + ": queries");
                }
            }
            assertTrue(gpu.stats().kernelLaunches() > 0, gpu.stats().toString());
        }
        assertNothingLeft(device);
    }

    @Test
    void determinantalConditionalsEqualTheJavaOracleQueryByQuery() {
        Map<String, ConditionalOracle> models = new LinkedHashMap<>(determinantal());
        // The planted wrong variant runs on the device too (its power checks can run there).
        models.put("dpp-planted", PlantedDeterminantalVariants.ignoringExclusions((DeterminantalOracle) models.get("dpp")));
        models.put("aztec-4", new AztecDiamond(4).oracle());
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(1)) {
            for (Map.Entry<String, ConditionalOracle> m : models.entrySet()) {
                ConditionalOracle oracle = m.getValue();
                assertOnDevice(gpu, m.getKey(), oracle);
                // Random prefixes: many are impossible (a cycle of edges, two dominoes on one cell).
                ConditionalBatch batch = randomBatch(oracle, 300, 17);
                cpu.conditionals(oracle, batch, 0, batch.size());
                double[] want = batch.out().clone();
                java.util.Arrays.fill(batch.out(), Double.NaN);
                gpu.conditionals(oracle, batch, 0, batch.size());
                double[] got = batch.out();
                for (int j = 0; j < 2 * batch.size(); j++) {
                    String what = m.getKey() + ": " + batch.describe(j / 2) + " value " + (j % 2);
                    assertEquals(Double.doubleToLongBits(want[j]), Double.doubleToLongBits(got[j]), what + ": " + want[j] + " vs " + got[j]);
                }
            }
            // Power: the same comparison tells a device that ignored exclusions (the planted variant) from the
            // process (same seed, so the same branches and queries; each oracle keeps its own tries).
            ConditionalOracle dpp = models.get("dpp"), planted = models.get("dpp-planted");
            ConditionalBatch right = randomBatch(dpp, 300, 17), wrong = randomBatch(planted, 300, 17);
            cpu.conditionals(dpp, right, 0, right.size());
            gpu.conditionals(planted, wrong, 0, wrong.size());
            int differ = 0;
            for (int j = 0; j < 2 * right.size(); j++) {
                if (Double.doubleToLongBits(right.out()[j]) != Double.doubleToLongBits(wrong.out()[j])) differ++;
            }
            assertTrue(differ > 0, "the planted variant on the device passed the bit-identity check");
        }
        assertNothingLeft(device);
    }

    @Test
    void determinantalRoundOffErrorsNameTheSameQueryOrStep() {
        // P(j in | i in) = 0.5 - 0.9^2 / 0.5 < 0 for every pair: with one item pinned in, a query
        // error; with two, the factor row of the second step fails first (named by step and item).
        double[][] bad = {{0.5, 0.9, 0.9}, {0.9, 0.5, 0.9}, {0.9, 0.9, 0.5}};
        ConditionalOracle oracle = new DeterminantalOracle(bad, true, "not-a-kernel");
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(1)) {
            for (int k : new int[] {1, 2}) {
                ConditionalBatch[] batches = new ConditionalBatch[2];
                for (int b = 0; b < 2; b++) {
                    RoundScheduler<ConditionalBatch> sched = new RoundScheduler<>(new ConditionalBatch(oracle, new CpuBackend(1)), 1 << 20, new RunMetrics(), null);
                    Branch root = new ArProcess(oracle, sched).start(Node.root(1, 0));
                    Order o = root.order();
                    int[] vals = new int[k];
                    java.util.Arrays.fill(vals, 1);
                    Branch br = root.extend(vals, 0, k, oracle.prefixSummary());
                    batches[b] = new ConditionalBatch(oracle);
                    batches[b].add(br, o.position(2), k);
                }
                ConditionalBatch cb = batches[0], gb = batches[1];
                RuntimeException ce = assertThrows(RuntimeException.class, () -> cpu.conditionals(oracle, cb, 0, 1));
                RuntimeException ge = assertThrows(RuntimeException.class, () -> gpu.conditionals(oracle, gb, 0, 1));
                assertEquals(rootMessage(ce), rootMessage(ge), "k = " + k);
            }
        }
        assertNothingLeft(device);
    }

    /** Numerically impossible prefixes (DeterminantalOracle#fragile) answer (0, 0) on the device as on the CPU. */
    @Test
    void determinantalFragilePrefixesAnswerLikeTheCpu() {
        double[][] k = {{1 - 1e-7, 1e-3, 0.1}, {1e-3, 0.5, 0.1}, {0.1, 0.1, 0.5}};
        ConditionalOracle oracle = new DeterminantalOracle(k, true, "fragile");
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(1)) {
            assertOnDevice(gpu, "fragile", oracle);
            double[][] outs = new double[2][];
            for (int b = 0; b < 2; b++) {
                Order o = io.autospec.ar.ArTesting.prepared(oracle, Order.identity(0, 3));
                Branch br = io.autospec.ar.ArTesting.branch(oracle, o, new int[] {0, 1, 0}, 2);
                ConditionalBatch batch = new ConditionalBatch(oracle);
                batch.add(br, 1, 1);
                batch.add(br, 2, 2);
                batch.add(br, 2, 0);
                java.util.Arrays.fill(batch.out(), Double.NaN);
                (b == 0 ? (io.autospec.backend.Backend) cpu : gpu).conditionals(oracle, batch, 0, batch.size());
                outs[b] = java.util.Arrays.copyOf(batch.out(), 2 * batch.size());
            }
            for (int j = 0; j < 4; j++) assertEquals(0.0, outs[0][j], "cpu " + j);
            for (int j = 0; j < outs[0].length; j++) {
                assertEquals(Double.doubleToLongBits(outs[0][j]), Double.doubleToLongBits(outs[1][j]), j + ": " + outs[0][j] + " vs " + outs[1][j]);
            }
        }
        assertNothingLeft(device);
    }

    @Test
    void aDeterminantalKernelLargerThanTheBudgetIsAClearError() {
        ConditionalOracle oracle = LEnsemble.random(120, 4, 2).oracle(); // K: 115,200 bytes
        Device device = newDevice();
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(1L << 16).withCpuThreads(1))) {
            DeviceOutOfMemoryException e = assertThrows(DeviceOutOfMemoryException.class,
                    () -> Autospec.autoregressive(oracle).seed(1).backend(gpu).sample(1));
            assertTrue(e.getMessage().contains("determinantal kernel K (120 x 120) of " + oracle.describe())
                    && e.getMessage().contains("exceed the device memory budget"), e.getMessage());
        }
        assertNothingLeft(device);
    }

    private static String rootMessage(Throwable e) {
        while (e.getCause() != null && !(e instanceof io.autospec.core.OracleException)) e = e.getCause();
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }

    @Test
    void determinantalArenasResetAndLaunchesSplitUnderASmallBudgetAndStayExact() {
        ConditionalOracle oracle = new AztecDiamond(3).oracle();
        Device device = newDevice();
        // K: 24 x 24 doubles; arenas and buffers grow in 64 KiB granules: room for a few, not for everything.
        try (CudaBackend gpu = new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(6L << 16).withCpuThreads(1));
             CpuBackend cpu = new CpuBackend(1)) {
            RunResult<int[]> a = Autospec.autoregressive(oracle).strategy(Autospec.jacobi()).seed(4).backend(cpu).sample(40);
            RunResult<int[]> b = Autospec.autoregressive(oracle).strategy(Autospec.jacobi()).seed(4).backend(gpu).sample(40);
            for (int i = 0; i < 40; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), "sample " + i);
            assertEquals(a.metrics().rounds(), b.metrics().rounds());
            assertEquals(a.metrics().queries(), b.metrics().queries());
            CudaBackend.Stats st = gpu.stats();
            assertTrue(st.arenaResets() > 0, "the budget was meant to force the row arenas to be reset: " + st);
            assertTrue(st.peakBytes() <= 6L << 16, st.toString());
        }
        assertNothingLeft(device);
    }

    // ------------------------------------------------------------------------------ draws

    @Test
    void philoxBlocksAndUniformsAreBitIdentical() {
        int n = 2000;
        Key seedKey = Key.ofSeed(77);
        int[] keys = new int[2 * n], counters = new int[4 * n];
        for (int i = 0; i < n; i++) {
            long a = seedKey.bits(1, i, 0), b = seedKey.bits(1, i, 1);
            keys[2 * i] = (int) a;
            keys[2 * i + 1] = (int) (a >>> 32);
            counters[4 * i] = (int) b;
            counters[4 * i + 1] = (int) (b >>> 32);
            counters[4 * i + 2] = i < 10 ? -1 : i;
            counters[4 * i + 3] = i < 20 ? 0 : -i;
        }
        int[] blocks = new int[4 * n];
        double[] u = new double[n];
        Device device = newDevice();
        try (CudaBackend gpu = backend(device)) {
            new CudaDraws(gpu).philox(keys, counters, blocks, u);
        }
        int[] w = new int[4];
        for (int i = 0; i < n; i++) {
            Philox.block(keys[2 * i], keys[2 * i + 1], counters[4 * i], counters[4 * i + 1], counters[4 * i + 2], counters[4 * i + 3], w);
            for (int k = 0; k < 4; k++) assertEquals(w[k], blocks[4 * i + k], "block " + i + " word " + k);
            assertEquals(Philox.uniform(keys[2 * i], keys[2 * i + 1], counters[4 * i], counters[4 * i + 1], counters[4 * i + 2],
                    counters[4 * i + 3]), u[i], 0.0, "uniform " + i);
        }
        assertNothingLeft(device);
    }

    @Test
    void categoricalDrawsAreIdentical() {
        int q = 5, rowsN = 300, n = 3000;
        Key key = Key.ofSeed(4);
        double[] rows = new double[rowsN * q];
        for (int r = 0; r < rowsN; r++) {
            for (int v = 0; v < q; v++) {
                double x = key.uniform(2, r, v);
                rows[r * q + v] = r % 7 == 0 ? 0 : (x < 0.3 ? 0 : x / 3); // zero rows, zero entries, unnormalised
            }
        }
        int[] rowIndex = new int[n];
        double[] u = new double[n];
        for (int i = 0; i < n; i++) {
            rowIndex[i] = key.boundedInt(3, i, rowsN);
            u[i] = i % 97 == 0 ? 0.0 : i % 89 == 0 ? Math.nextDown(1.0) : key.uniform(4, i, 0);
        }
        Device device = newDevice();
        int[] got;
        try (CudaBackend gpu = backend(device)) {
            got = new CudaDraws(gpu).categorical(rows, q, rowIndex, u);
        }
        for (int i = 0; i < n; i++) assertEquals(ArProcess.categorical(rows, rowIndex[i] * q, q, u[i]), got[i], "draw " + i);
        assertNothingLeft(device);
    }

    @Test
    void boxMullerNormalsMatchTheHostEngine() {
        int n = 500;
        for (int d : new int[] {1, 4, 7}) {
            int[] keys = new int[2 * n], steps = new int[n];
            for (int i = 0; i < n; i++) {
                Key k = Key.ofSeed(i * 31L + d).derive(5, i, 0);
                keys[2 * i] = k.k0();
                keys[2 * i + 1] = k.k1();
                steps[i] = i % 17;
            }
            Device device = newDevice();
            double[] got;
            try (CudaBackend gpu = backend(device)) {
                got = new CudaDraws(gpu).normals(keys, steps, d);
            }
            double[] want = new double[d];
            for (int i = 0; i < n; i++) {
                DiffusionProcess.standardNormals(new Key(keys[2 * i], keys[2 * i + 1]), steps[i], want, 0, d);
                for (int c = 0; c < d; c++) {
                    assertEquals(want[c], got[i * d + c], 16 * Math.ulp(Math.max(1.0, Math.abs(want[c]))), "item " + i + " coordinate " + c);
                }
            }
            assertNothingLeft(device);
        }
    }

    @Test
    void logSumsMatchTheChainRuleOnTheHost() {
        int q = 3, rowsN = 400;
        Key key = Key.ofSeed(12);
        double[] rows = new double[rowsN * q];
        for (int j = 0; j < rowsN; j++) {
            double s = 0;
            for (int v = 0; v < q; v++) s += rows[j * q + v] = j % 50 == 7 ? 0 : key.uniform(1, j, v);
            for (int v = 0; v < q; v++) if (s > 0) rows[j * q + v] /= s;
        }
        List<int[]> reqs = new ArrayList<>();
        int first = 0, off = 0;
        while (first < rowsN) {
            int count = 1 + key.boundedInt(2, first, 12);
            count = Math.min(count, rowsN - first);
            reqs.add(new int[] {first, count, off});
            first += count;
            off += count;
        }
        int[] requests = new int[3 * reqs.size()];
        for (int r = 0; r < reqs.size(); r++) System.arraycopy(reqs.get(r), 0, requests, 3 * r, 3);
        int[] values = new int[off];
        for (int i = 0; i < off; i++) values[i] = key.boundedInt(3, i, q);
        Device device = newDevice();
        CudaDraws.LogSums got;
        try (CudaBackend gpu = backend(device)) {
            got = new CudaDraws(gpu).logSums(rows, q, requests, values);
        }
        for (int r = 0; r < reqs.size(); r++) {
            int[] req = reqs.get(r);
            double sum = 0;
            int bad = -1;
            for (int i = 0; i < req[1]; i++) {
                int j = req[0] + i;
                double p = rows[j * q + values[req[2] + i]];
                if (p == 0 && sum != Double.NEGATIVE_INFINITY && bad < 0 && rows[j * q] == 0 && rows[j * q + 1] == 0 && rows[j * q + 2] == 0) bad = j;
                sum += Math.log(p);
            }
            assertEquals(bad, got.zeroRow()[r], "request " + r);
            if (Double.isInfinite(sum)) assertEquals(sum, got.sums()[r], "request " + r);
            else assertEquals(sum, got.sums()[r], 1e-14 * Math.max(1, Math.abs(sum)), "request " + r);
        }
        assertNothingLeft(device);
    }

    // ------------------------------------------------------------------------------ diffusion

    static TestDenoisers.Mixture mixture(int d, int k, boolean atoms, long seed) {
        Key key = Key.ofSeed(seed);
        double[] w = new double[k], m = new double[k * d], s2 = new double[k];
        for (int c = 0; c < k; c++) {
            w[c] = 0.2 + key.uniform(1, c, 0);
            s2[c] = atoms ? 0 : 0.05 + 0.5 * key.uniform(2, c, 0);
            for (int i = 0; i < d; i++) m[c * d + i] = 4 * key.uniform(3, c, i) - 2;
        }
        return new TestDenoisers.Mixture(d, w, m, s2);
    }

    @Test
    void mixtureAndBoxDriftsMatchTheReferenceFormulas() {
        Map<String, Denoiser> dens = new LinkedHashMap<>();
        dens.put("mixture", mixture(3, 5, false, 1));
        dens.put("atoms", mixture(4, 7, true, 2));
        dens.put("box", new TestDenoisers.Box(new double[] {-1, 0, 2}, new double[] {1, 0.5, 7}));
        dens.put("zoo gmm", io.autospec.diffusion.models.IsotropicMixture.randomGmm(5, 3, 7));
        dens.put("zoo atoms", io.autospec.diffusion.models.IsotropicMixture.atoms(
                new double[][] {{0.5, -1}, {2, 0.25}, {-1.5, 1}}, new double[] {1, 2, 3}));
        dens.put("zoo box", new io.autospec.diffusion.models.BoxUniform(3, -1, 2));
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(1)) {
            for (Map.Entry<String, Denoiser> e : dens.entrySet()) {
                Denoiser den = e.getValue();
                assertOnDevice(gpu, e.getKey(), den);
                int d = den.dimension();
                DriftBatch batch = new DriftBatch(den);
                Key key = Key.ofSeed(9);
                double[] times = {0, 1e-6, 0.01, 0.3, 1, 3, 20, 100, 1000};
                for (int j = 0; j < 400; j++) {
                    double t = times[j % times.length];
                    int off = batch.add(t, j, 0);
                    for (int i = 0; i < d; i++) {
                        // x = t y + sqrt(t) g, y spread over and beyond the support; far tails included.
                        double y = 6 * key.uniform(1, j, i) - 3, g = 4 * key.uniform(2, j, i) - 2;
                        batch.points()[off + i] = t * y + Math.sqrt(t) * g * (j % 11 == 0 ? 30 : 1);
                    }
                }
                cpu.drifts(den, batch, 0, batch.size());
                double[] want = batch.out().clone();
                java.util.Arrays.fill(batch.out(), Double.NaN);
                gpu.drifts(den, batch, 0, batch.size());
                for (int j = 0; j < batch.size(); j++) {
                    for (int i = 0; i < d; i++) {
                        double x = want[j * d + i], y = batch.out()[j * d + i];
                        assertEquals(x, y, 1e-9 * (1 + Math.abs(x)), e.getKey() + ": " + batch.describe(j) + " coordinate " + i);
                    }
                }
            }
        }
        assertNothingLeft(device);
    }

    @Test
    void boxDriftsInTheFarTailsMatchQuadrature() {
        double[] lo = {0, -5}, hi = {1, 5};
        TestDenoisers.Box box = new TestDenoisers.Box(lo, hi);
        DriftBatch batch = new DriftBatch(box);
        double[][] cases = { // (t, x/t per coordinate)
            {1e4, -3, 40}, {1e4, 4, -30}, {50, 1.02, 5.5}, {1e6, -0.001, 5.0001}, {2, 0.5, 0}, {1e-8, 100, -100}, {400, 0.99, -4.9}};
        for (double[] c : cases) {
            int off = batch.add(c[0], 0, 0);
            for (int i = 0; i < 2; i++) batch.points()[off + i] = c[0] * c[1 + i];
        }
        Device device = newDevice();
        try (CudaBackend gpu = backend(device)) {
            gpu.drifts(box, batch, 0, batch.size());
        }
        for (int j = 0; j < cases.length; j++) {
            for (int i = 0; i < 2; i++) {
                double want = TruncatedNormal.boxMean(batch.points()[2 * j + i], cases[j][0], lo[i], hi[i]);
                double got = batch.out()[2 * j + i];
                assertTrue(got >= lo[i] && got <= hi[i], "inside the box: " + got);
                assertEquals(want, got, 1e-11 * (1 + Math.abs(want)), "case " + j + " coordinate " + i);
            }
        }
        assertNothingLeft(device);
    }

    @Test
    void diffusionSamplesMatchCpuForEveryStrategy() {
        Map<String, Denoiser> dens = new LinkedHashMap<>();
        dens.put("mixture", mixture(2, 3, false, 5));
        dens.put("atoms", mixture(2, 4, true, 6));
        dens.put("box", new TestDenoisers.Box(new double[] {-1, 0}, new double[] {1, 2}));
        dens.put("zoo gmm", io.autospec.diffusion.models.IsotropicMixture.randomGmm(3, 2, 5));
        dens.put("zoo box", new io.autospec.diffusion.models.BoxUniform(2, -1, 1));
        Map<String, Strategy> strategies = new LinkedHashMap<>();
        strategies.put("sequential", Autospec.sequential());
        strategies.put("speculative", Autospec.speculative());
        strategies.put("picard", Autospec.picard(4, 1e-3));
        strategies.put("auto (exact picard)", Autospec.auto().window(4));
        Device device = newDevice();
        try (CudaBackend gpu = backend(device); CpuBackend cpu = new CpuBackend(1)) {
            for (Map.Entry<String, Denoiser> e : dens.entrySet()) {
                assertOnDevice(gpu, e.getKey(), e.getValue());
                for (Map.Entry<String, Strategy> s : strategies.entrySet()) {
                    Schedule schedule = Schedule.geometric(12, 0.05);
                    RunResult<double[]> a = Autospec.diffusion(e.getValue(), schedule).strategy(s.getValue()).seed(21).backend(cpu).sample(4);
                    RunResult<double[]> b = Autospec.diffusion(e.getValue(), schedule).strategy(s.getValue()).seed(21).backend(gpu).sample(4);
                    String what = e.getKey() + " / " + s.getKey();
                    assertEquals(a.metrics().rounds(), b.metrics().rounds(), what + ": rounds");
                    assertEquals(a.metrics().queries(), b.metrics().queries(), what + ": queries");
                    for (int i = 0; i < 4; i++) {
                        double[] x = a.samples().get(i), y = b.samples().get(i);
                        for (int c = 0; c < x.length; c++) assertEquals(x[c], y[c], 1e-9 * (1 + Math.abs(x[c])), what + ": sample " + i);
                    }
                }
            }
        }
        assertNothingLeft(device);
    }

    @Test
    void deviceErrorsNameTheLaunch() {
        Device device = newDevice();
        ConditionalOracle oracle = MarkovChain.stay(6, 2, 0.9);
        ConditionalBatch batch = randomBatch(oracle, 5, 2);
        Device failing = new FailingDevice(device, 2);
        try (CudaBackend gpu = new CudaBackend(failing, CudaBackend.Options.defaults().withMemoryBudget(LARGE).withCpuThreads(1))) {
            gpu.conditionals(oracle, batch, 0, 5);
            CudaException e = assertThrows(CudaException.class, () -> gpu.conditionals(oracle, batch, 0, 5));
            assertTrue(e.getMessage().contains("launch #2") && e.getMessage().contains("queries [0, 5)")
                    && e.getMessage().contains(Kernels.MARKOV) && e.getMessage().contains("query #0"), e.getMessage());
            assertNotNull(e.getCause());
        } catch (CudaException e) {
            fail("close failed: " + e);
        }
        assertNothingLeft(device);
    }

    /** Delegates to a device but fails the n-th launch of the model kernel. */
    static final class FailingDevice extends ForwardingDevice {
        private final int failAt;
        private int markov;

        FailingDevice(Device d, int failAt) {
            super(d);
            this.failAt = failAt;
        }

        @Override
        public void launch(String kernel, int grid, int block, java.nio.ByteBuffer args) {
            if (kernel.equals(Kernels.MARKOV) && ++markov == failAt) throw new CudaException("cuLaunchKernel(" + kernel + ") failed: CUDA_ERROR_LAUNCH_FAILED (injected)");
            d.launch(kernel, grid, block, args);
        }
    }
}
