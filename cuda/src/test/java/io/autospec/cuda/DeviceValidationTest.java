package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ArProcess;
import io.autospec.ar.ArTesting;
import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalEvaluator;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.backend.CpuBackend;
import io.autospec.core.OracleException;
import io.autospec.core.RoundScheduler;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import io.autospec.spi.CancelScope;
import io.autospec.spi.Deferred;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.example.devicefamily.ExampleFamily;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The batch's validation run on the device (kernels/validate_kernels.cuh, right after the model kernel
 * of the shared AR launch), on the host emulator: the same rows, scores and zero-row flags as the host
 * check bit for bit, the same error messages naming the same first bad query, the same samples and
 * rounds as the CPU backend, and fewer bytes downloaded per scored query. Planted rows come from
 * {@link ExampleFamily.Marginals}, whose rows go to the device unchecked.
 */
class DeviceValidationTest {
    private static final int Q = 4;

    @BeforeEach
    void needsEmulator() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "device validation tests skipped: " + r.reason());
    }

    private static CudaBackend gpu(Device device, long budget) {
        return new CudaBackend(device, CudaBackend.Options.defaults().withMemoryBudget(budget).withCpuThreads(1));
    }

    /** A backend whose budget splits a launch of a few hundred queries (one model kept at a time). */
    private static CudaBackend small() {
        return new CudaBackend(emulator(), new CudaBackend.Options(0, 1L << 16, 1, 1, true));
    }

    private static Device emulator() {
        return new EmulatedDevice(HostBuild.emulator().executable(), 1L << 30);
    }

    /** Rows that pass the check: random, within tolerance of 1, with -0, subnormals, or no mass at all. */
    private static List<double[]> goodRows(SplittableRandom rnd, int count) {
        List<double[]> rows = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            double[] r = new double[Q];
            double s = 0;
            for (int v = 0; v < Q; v++) s += r[v] = rnd.nextDouble() < 0.2 ? 0 : rnd.nextDouble();
            if (s == 0) r[0] = s = 1;
            for (int v = 0; v < Q; v++) r[v] /= s;
            switch (i % 8) {
                case 1 -> { // value 0 gives its mass to value 1 and becomes -0
                    r[1] += r[0];
                    r[0] = -0.0;
                }
                case 2 -> { // ... or becomes subnormal
                    r[1] += r[0];
                    r[0] = Double.MIN_VALUE * (1 + rnd.nextInt(1000));
                }
                case 3 -> r[Q - 1] += 9.9e-7; // just inside the tolerance
                case 4 -> r[Q - 1] -= Math.min(r[Q - 1], 9.9e-7);
                case 5 -> r = new double[] {0.0, -0.0, 0.0, -0.0}; // no mass
                case 6 -> {
                    for (int v = 0; v < Q; v++) r[v] *= 1 + (rnd.nextDouble() - 0.5) * 1e-6; // a sum off by ulps
                }
                default -> {}
            }
            rows.add(r);
        }
        return rows;
    }

    private static ConditionalOracle planted(List<double[]> rows) {
        double[] p = new double[rows.size() * Q];
        for (int i = 0; i < rows.size(); i++) System.arraycopy(rows.get(i), 0, p, i * Q, Q);
        return new ExampleFamily.Marginals(rows.size(), Q, p);
    }

    /** Query j asks row j; with {@code scored}, every other query scores a random value. */
    private static List<ArTesting.ScoredQuery> queries(ConditionalOracle o, boolean scored, SplittableRandom rnd) {
        Branch b = Branch.empty(Order.identity(0, o.length()).prepareFor(o), o.prefixSummary());
        List<ArTesting.ScoredQuery> qs = new ArrayList<>();
        for (int pos = 0; pos < o.length(); pos++) qs.add(new ArTesting.ScoredQuery(b, pos, 0, scored && pos % 2 == 1 ? rnd.nextInt(Q) : -1));
        return qs;
    }

    private static void assertSame(ArTesting.Validated want, ArTesting.Validated got, String what) {
        for (int j = 0; j < want.rows().length; j++) {
            if (want.rows()[j] != null) {
                for (int v = 0; v < Q; v++) {
                    assertEquals(Double.doubleToRawLongBits(want.rows()[j][v]), Double.doubleToRawLongBits(got.rows()[j][v]),
                            what + ": query " + j + " value " + v);
                }
            } else {
                assertEquals(Double.doubleToRawLongBits(want.scores()[j]), Double.doubleToRawLongBits(got.scores()[j]), what + ": score of query " + j);
                assertEquals(want.zeroRows()[j], got.zeroRows()[j], what + ": zero-row flag of query " + j);
            }
        }
    }

    private static String oracleMessage(Runnable run) {
        try {
            run.run();
        } catch (RuntimeException e) {
            Throwable t = e;
            while (t.getCause() != null && !(t instanceof OracleException)) t = t.getCause();
            if (t instanceof OracleException) return t.getMessage();
            throw e;
        }
        return fail("no OracleException");
    }

    @Test
    void rowsScoresAndFlagsAreTheHostChecksBitForBit() {
        SplittableRandom rnd = new SplittableRandom(3);
        ConditionalOracle o = planted(goodRows(rnd, 400));
        try (CudaBackend gpu = gpu(emulator(), 1L << 30); CudaBackend small = small()) {
            assertTrue(gpu.onDevice(o), "the planted rows run on the device");
            for (boolean scored : new boolean[] {false, true}) {
                List<ArTesting.ScoredQuery> qs = queries(o, scored, rnd);
                ArTesting.Validated host = ArTesting.evaluate(o, ConditionalEvaluator.INLINE, qs);
                long before = gpu.stats().kernelLaunches();
                assertSame(host, ArTesting.evaluate(o, gpu, qs), "scored " + scored);
                assertEquals(2, gpu.stats().kernelLaunches() - before, "the model kernel and the validation, one launch");
                long launches = small.stats().launches();
                assertSame(host, ArTesting.evaluate(o, small, qs), "scored " + scored + ", launch split");
                assertTrue(small.stats().launches() - launches > 1, "a small budget splits the launch: " + small.stats());
            }
        }
    }

    @Test
    void theFirstBadRowIsReportedWithTheHostsMessage() {
        SplittableRandom rnd = new SplittableRandom(5);
        double[][] bad = {
            {0.25, 0.25, Double.NaN, 0.5},
            {0.25, -1e-300, 0.25, 0.5},
            {0.25, 0.25, Double.NEGATIVE_INFINITY, 0.5},
            {Double.POSITIVE_INFINITY, 0, 0, 0},
            {0.25, 0.25, 0.25, 0.25 + 1.1e-6}, // just outside the tolerance
            {0.25, 0.25, 0.25, 0.25 - 1.1e-6},
            {1e308, 1e308, 0, 0},             // finite entries, infinite sum
            {0.5, 0.5, 0.5, 0.5},
        };
        String[] says = {"returned NaN for value 2", "returned -1.0E-300 for value 1", "returned -Infinity for value 2",
                "returned Infinity for value 0", "unnormalised vector (sum 1.0000011", "unnormalised vector (sum 0.9999989",
                "unnormalised vector (sum Infinity)", "unnormalised vector (sum 2.0)"};
        try (CudaBackend gpu = gpu(emulator(), 1L << 30); CudaBackend small = small()) {
            for (int b = 0; b < bad.length; b++) {
                List<double[]> rows = goodRows(rnd, 300);
                int at = 150 + rnd.nextInt(100);
                rows.set(at, bad[b]);
                rows.set(at + 20, bad[(b + 1) % bad.length]); // a later bad row is not the one named
                ConditionalOracle o = planted(rows);
                for (boolean scored : new boolean[] {false, true}) {
                    List<ArTesting.ScoredQuery> qs = queries(o, scored, rnd);
                    String host = oracleMessage(() -> ArTesting.evaluate(o, ConditionalEvaluator.INLINE, qs));
                    assertTrue(host.contains("at query #" + at + " (sample 0, position " + at + ", 0 pinned)") && host.contains(says[b]), host);
                    assertEquals(host, oracleMessage(() -> ArTesting.evaluate(o, gpu, qs)), "bad row " + b + ", scored " + scored);
                    assertEquals(host, oracleMessage(() -> ArTesting.evaluate(o, small, qs)), "bad row " + b + ", scored " + scored + ", split");
                }
            }
        }
    }

    /** Counts the launches of each kernel. */
    static final class KernelCounter extends ForwardingDevice {
        final Map<String, Integer> launched = new LinkedHashMap<>();

        KernelCounter(Device d) {
            super(d);
        }

        @Override
        public void launch(String kernel, int grid, int block, ByteBuffer args) {
            launched.merge(kernel, 1, Integer::sum);
            d.launch(kernel, grid, block, args);
        }
    }

    @Test
    void samplesAndRoundsEqualCpuWithValidationOnTheDevice() {
        Map<String, Strategy> strategies = new LinkedHashMap<>();
        strategies.put("sequential", Autospec.sequential());
        strategies.put("speculative", Autospec.speculative());
        strategies.put("speculative-rho0.5-span4", Autospec.speculative().rho(0.5).maxSpeculationSpan(4));
        KernelCounter device = new KernelCounter(emulator());
        try (CudaBackend gpu = gpu(device, 1L << 30); CpuBackend cpu = new CpuBackend(1)) {
            for (Map.Entry<String, ConditionalOracle> m : Zoo.ar(10).entrySet()) {
                assertTrue(gpu.onDevice(m.getValue()), m.getKey() + " runs on the device");
                for (Map.Entry<String, Strategy> s : strategies.entrySet()) {
                    RunResult<int[]> a = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(11).backend(cpu).sample(4);
                    RunResult<int[]> b = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(11).backend(gpu).sample(4);
                    String what = m.getKey() + " / " + s.getKey();
                    for (int i = 0; i < 4; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), what + ": sample " + i);
                    assertEquals(a.metrics().rounds(), b.metrics().rounds(), what + ": rounds");
                    assertEquals(a.metrics().queries(), b.metrics().queries(), what + ": queries");
                }
            }
            // Engine launches validate with as_validate_rows; resident rounds (sequential) with their own draw kernel.
            assertEquals(gpu.stats().launches() - gpu.stats().residentRounds(), (long) device.launched.get(Kernels.VALIDATE_ROWS),
                    "every engine launch validated on the device");
        }
    }

    @Test
    void badRowsInARunAreReportedLikeTheCpu() {
        int n = 8;
        double[] good = {0.1, 0.2, 0.3, 0.4};
        Map<String, double[]> plants = new LinkedHashMap<>();
        plants.put("NaN", new double[] {0.1, Double.NaN, 0.3, 0.6});
        plants.put("negative", new double[] {0.5, 0.5, -0.125, 0.125});
        plants.put("unnormalised", new double[] {0.5, 0.5, 0.5, 0.5});
        plants.put("zero row", new double[] {0, -0.0, 0, 0});
        String[] says = {"returned NaN for value 1", "returned -0.125 for value 2", "unnormalised vector (sum 2.0)", "gave zero mass to every value of position 5"};
        Map<String, Strategy> strategies = new LinkedHashMap<>();
        strategies.put("sequential", Autospec.sequential());
        strategies.put("speculative", Autospec.speculative());
        try (CudaBackend gpu = gpu(emulator(), 1L << 30); CpuBackend cpu = new CpuBackend(1)) {
            int i = 0;
            for (Map.Entry<String, double[]> plant : plants.entrySet()) {
                double[] p = new double[n * Q];
                for (int pos = 0; pos < n; pos++) System.arraycopy(pos == 5 ? plant.getValue() : good, 0, p, pos * Q, Q);
                ConditionalOracle o = new ExampleFamily.Marginals(n, Q, p);
                for (Map.Entry<String, Strategy> s : strategies.entrySet()) {
                    String host = oracleMessage(() -> Autospec.autoregressive(o).strategy(s.getValue()).seed(2).backend(cpu).sample(3));
                    assertTrue(host.contains(says[i]) && host.contains("position 5"), host);
                    assertTrue(i == 3 || host.contains("query #"), host);
                    String device = oracleMessage(() -> Autospec.autoregressive(o).strategy(s.getValue()).seed(2).backend(gpu).sample(3));
                    assertEquals(host, device, plant.getKey() + " / " + s.getKey());
                }
                i++;
            }
        }
    }

    /** logChain requests of a branch through a scheduler on {@code evaluator}: the sums, one per branch. */
    private static double[] logChains(ConditionalOracle o, ConditionalEvaluator evaluator, List<Branch> branches, boolean rowsToo) {
        RoundScheduler<ConditionalBatch> scheduler = new RoundScheduler<>(new ConditionalBatch(o, evaluator), Integer.MAX_VALUE, new RunMetrics(), null);
        ArProcess process = new ArProcess(o, scheduler);
        List<Deferred<Double>> sums = new ArrayList<>();
        for (Branch b : branches) {
            sums.add(process.logChain(CancelScope.ROOT, b, 0, o.length()));
            if (rowsToo) process.chain(CancelScope.ROOT, b, 0, o.length());
        }
        scheduler.run();
        double[] out = new double[sums.size()];
        for (int i = 0; i < out.length; i++) out[i] = sums.get(i).get();
        return out;
    }

    private static List<Branch> randomBranches(ConditionalOracle o, int count, SplittableRandom rnd) {
        List<Branch> bs = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            int[] x = new int[o.length()];
            for (int pos = 0; pos < x.length; pos++) x[pos] = rnd.nextInt(o.alphabet());
            bs.add(ArTesting.branch(o, ArTesting.prepared(o, ArTesting.randomOrder(i, o.length(), rnd)), x, o.length()));
        }
        return bs;
    }

    @Test
    void scoredQueriesDownloadLessAndSumTheSameLogChain() {
        SplittableRandom rnd = new SplittableRandom(9);
        ConditionalOracle potts = Zoo.ar(12).get("potts");
        assertEquals(Q, potts.alphabet());
        List<Branch> branches = randomBranches(potts, 40, rnd);
        long queries = 40L * potts.length();
        try (CudaBackend gpu = gpu(emulator(), 1L << 30); CpuBackend cpu = new CpuBackend(1)) {
            double[] want = logChains(potts, cpu, branches, false);
            long before = gpu.stats().downloadedBytes();
            double[] got = logChains(potts, gpu, branches, false);
            long scored = gpu.stats().downloadedBytes() - before;
            for (int i = 0; i < want.length; i++) assertEquals(Double.doubleToRawLongBits(want[i]), Double.doubleToRawLongBits(got[i]), "log chain " + i);
            assertTrue(java.util.Arrays.stream(want).allMatch(s -> s < 0 && s > Double.NEGATIVE_INFINITY), "every branch has positive mass");
            // A scored query: its probability and its status; a row query: q probabilities and its status.
            assertEquals(12 * queries, scored, "bytes downloaded for scored queries");
            before = gpu.stats().downloadedBytes();
            logChains(potts, gpu, branches, true);
            assertEquals(12 * queries + (8L * Q + 4) * queries, gpu.stats().downloadedBytes() - before, "scored and row queries");
            System.out.printf("[autospec] device validation: %d bytes downloaded per scored query, %d per row query (q = %d; %d per query before)%n",
                    scored / queries, 8 * Q + 4, Q, 8 * Q);
        }
    }

    @Test
    void aZeroRowAfterPositiveMassIsTheSameErrorInALogChain() {
        int n = 6;
        double[] p = new double[n * Q];
        for (int pos = 0; pos < n; pos++) for (int v = 0; v < Q; v++) p[pos * Q + v] = pos == 3 ? 0.0 : 0.25;
        ConditionalOracle o = new ExampleFamily.Marginals(n, Q, p);
        List<Branch> branches = randomBranches(o, 3, new SplittableRandom(4));
        try (CudaBackend gpu = gpu(emulator(), 1L << 30); CpuBackend cpu = new CpuBackend(1)) {
            String host = oracleMessage(() -> logChains(o, cpu, branches, false));
            assertTrue(host.contains("says the context of query #") && host.contains("position 3") && host.contains("has probability zero"), host);
            assertEquals(host, oracleMessage(() -> logChains(o, gpu, branches, false)));
        }
    }
}
