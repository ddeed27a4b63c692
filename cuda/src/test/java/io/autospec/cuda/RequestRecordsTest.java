package io.autospec.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ArTesting;
import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.ar.ConditionalEvaluator;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.backend.Backend;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.spi.Key;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The engine path's request records: a request of the engine (steps [a, a + count) of one branch) is
 * uploaded as one record and expanded into its queries on the device (as_ar_expand). Runs on the
 * host emulator must equal the CPU backend's sample for sample, round for round and query for query,
 * also when a small budget splits requests across launches; a planted wrong expansion (a chain's k one
 * step late) must be caught by the same comparison; and the upload of a request does not grow with
 * its number of queries.
 */
class RequestRecordsTest {
    private static final int SAMPLES = 4;

    private static Map<String, Strategy> strategies() {
        Map<String, Strategy> s = new LinkedHashMap<>();
        s.put("speculative", Autospec.speculative());
        s.put("speculative-rho0.5-span4", Autospec.speculative().rho(0.5).maxSpeculationSpan(4));
        s.put("token-4", Autospec.token(4));
        s.put("token-adaptive", Autospec.tokenAdaptive());
        s.put("auto", Autospec.auto());
        s.put("jacobi", Autospec.jacobi());
        return s;
    }

    private static Device emulator() {
        HostBuild.Result r = HostBuild.emulator();
        Assumptions.assumeTrue(r.executable() != null, () -> "emulated request records skipped: " + r.reason());
        return new EmulatedDevice(r.executable(), 1L << 30);
    }

    /** The engine path everywhere (no resident rounds). */
    private static CudaBackend engine() {
        return new CudaBackend(emulator(), CudaBackend.Options.defaults().withCpuThreads(1).withResidentRounds(false));
    }

    /** The first mismatch of samples, rounds or queries between the CPU backend and {@code gpu} over the zoo's {@code models}, or null. */
    private static String firstMismatch(Backend gpu, Map<String, Strategy> strategies, Set<String> models) {
        try (CpuBackend cpu = new CpuBackend(1)) {
            for (Map.Entry<String, ConditionalOracle> m : Zoo.ar(10).entrySet()) {
                if (!models.contains(m.getKey())) continue;
                for (Map.Entry<String, Strategy> s : strategies.entrySet()) {
                    RunResult<int[]> a = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(17).backend(cpu).sample(SAMPLES);
                    RunResult<int[]> b = Autospec.autoregressive(m.getValue()).strategy(s.getValue()).seed(17).backend(gpu).sample(SAMPLES);
                    String what = m.getKey() + " / " + s.getKey();
                    for (int i = 0; i < SAMPLES; i++) {
                        if (!Arrays.equals(a.samples().get(i), b.samples().get(i))) return what + ": sample " + i;
                    }
                    if (a.metrics().rounds() != b.metrics().rounds()) return what + ": rounds " + a.metrics().rounds() + " vs " + b.metrics().rounds();
                    if (a.metrics().queries() != b.metrics().queries()) return what + ": queries " + a.metrics().queries() + " vs " + b.metrics().queries();
                }
            }
        }
        return null;
    }

    @Test
    void samplesRoundsAndQueriesEqualTheCpuBackend() {
        try (CudaBackend gpu = engine()) {
            assertEquals(null, firstMismatch(gpu, strategies(), Zoo.ar(10).keySet()));
            assertTrue(gpu.stats().launches() > 0 && gpu.stats().residentRounds() == 0, gpu.stats().toString());
        }
    }

    /**
     * Requests cut by launch boundaries (a budget that splits a round of long requests): every row and
     * score bit for bit the host's (Curie-Weiss: one whole launch's), for marginals, chains, iterates
     * past the branch and scored chains, mixed with lone queries.
     */
    @Test
    void requestsSplitAcrossLaunchesGiveTheHostsRowsAndScores() {
        int n = 300;
        Map<String, ConditionalOracle> models = new LinkedHashMap<>();
        models.put("product", ProductOracle.random(n, 3, 11));
        models.put("markov", MarkovChain.stay(n, 2, 0.9));
        models.put("curie-weiss", new CurieWeiss(n, 1.3, 0.1));
        models.put("parity", ParityOracle.random(n, 5, 3));
        try (CudaBackend small = new CudaBackend(emulator(), new CudaBackend.Options(0, 1L << 16, 1, 1, false)); CudaBackend whole = engine()) {
            for (Map.Entry<String, ConditionalOracle> m : models.entrySet()) {
                ConditionalOracle o = m.getValue();
                List<Branch> branches = new ArrayList<>();
                for (int s = 0; s < 3; s++) {
                    int[] vals = sampleOf(o, s);
                    Order order = Order.random(s, n, Key.ofSeed(21)).prepareFor(o);
                    branches.add(Branch.empty(order, o.prefixSummary()).extend(inStepOrder(vals, order), 0, 120 + 40 * s, o.prefixSummary()));
                }
                java.util.function.Consumer<ConditionalBatch> fill = batch -> {
                    for (Branch b : branches) {
                        int known = b.length();
                        batch.addRequest(b, known, 90, false, false);        // marginals
                        batch.add(b, b.order().position(known + 5), 7);      // a lone query
                        batch.addRequest(b, known - 60, 100, true, false);   // an iterate past the branch
                        batch.addRequest(b, 1, known - 1, true, true);       // a scored chain along it
                        batch.addRequest(b, 0, 40, true, false);             // a chain from the start
                    }
                };
                long launches = small.stats().launches();
                // Curie-Weiss rows involve exp and log, equal to the host's only within ulps: the
                // reference is then one whole launch on the same device.
                boolean exact = !m.getKey().equals("curie-weiss");
                ArTesting.Validated host = ArTesting.evaluate(o, exact ? ConditionalEvaluator.INLINE : whole, fill);
                ArTesting.Validated dev = ArTesting.evaluate(o, small, fill);
                assertTrue(small.stats().launches() - launches > 3, m.getKey() + ": the budget splits the round: " + small.stats());
                for (int j = 0; j < host.rows().length; j++) {
                    if (host.rows()[j] != null) {
                        for (int v = 0; v < o.alphabet(); v++) {
                            assertEquals(Double.doubleToRawLongBits(host.rows()[j][v]), Double.doubleToRawLongBits(dev.rows()[j][v]),
                                    m.getKey() + ": query " + j + " value " + v);
                        }
                    } else {
                        assertEquals(Double.doubleToRawLongBits(host.scores()[j]), Double.doubleToRawLongBits(dev.scores()[j]), m.getKey() + ": score " + j);
                        assertEquals(host.zeroRows()[j], dev.zeroRows()[j], m.getKey() + ": zero row " + j);
                    }
                }
            }
        }
    }

    /** A sample of the oracle (so that every pinned context has mass), drawn on the host. */
    private static int[] sampleOf(ConditionalOracle o, int seed) {
        try (CpuBackend cpu = new CpuBackend(1)) {
            return Autospec.autoregressive(o).strategy(Autospec.sequential()).seed(seed).backend(cpu).sample(1).samples().get(0);
        }
    }

    private static int[] inStepOrder(int[] byPosition, Order order) {
        int[] steps = new int[byPosition.length];
        for (int r = 0; r < steps.length; r++) steps[r] = byPosition[order.position(r)];
        return steps;
    }

    @Test
    void aChainExpandedOneStepLateIsCaught() {
        Map<String, Strategy> token = Map.of("token-4", Autospec.token(4));
        try (CudaBackend gpu = engine()) {
            ArModel.plantedChainK = true;
            // Models whose kernels accept every k up to n (Curie-Weiss needs a free position).
            String mismatch = firstMismatch(gpu, token, Set.of("markov", "potts", "table"));
            assertFalse(mismatch == null, "the planted expansion went unnoticed");
        } finally {
            ArModel.plantedChainK = false;
        }
    }

    /** Bytes uploaded by the second of two identical launches (the first put the order and values on the device). */
    private static long secondLaunchUpload(ConditionalOracle oracle, Branch branch, int a, int count, boolean chain, boolean scored) {
        CountingDevice dev = new CountingDevice(1L << 28);
        try (CudaBackend gpu = new CudaBackend(dev, CudaBackend.Options.defaults().withMemoryBudget(1L << 27).withCpuThreads(1))) {
            for (int launch = 0; launch < 2; launch++) {
                ConditionalBatch batch = new ConditionalBatch(oracle, gpu);
                batch.addRequest(branch, a, count, chain, scored);
                long before = dev.uploadedBytes;
                gpu.validatedConditionals(oracle, batch, 0, batch.size());
                if (launch == 1) return dev.uploadedBytes - before;
            }
        }
        throw new AssertionError("unreachable");
    }

    @Test
    void aRequestUploadsTheSameBytesWhateverItsCount() {
        int n = 200;
        Order order = Order.random(0, n, Key.ofSeed(3));
        int[] vals = new int[n];
        for (int i = 0; i < n; i++) vals[i] = i % 2;
        for (ConditionalOracle o : new ConditionalOracle[] {ProductOracle.random(n, 2, 5), MarkovChain.stay(n, 2, 0.8)}) {
            Branch prefix = Branch.empty(order.prepareFor(o), null).extend(vals, 0, 100, null);
            Branch full = Branch.empty(order.prepareFor(o), null).extend(vals, 0, 170, null);
            for (boolean[] mode : new boolean[][] {{false, false}, {true, false}, {true, true}}) {
                Branch b = mode[1] ? full : prefix; // a scored chain reads the branch's own values
                long one = secondLaunchUpload(o, b, 100, 1, mode[0], mode[1]);
                long many = secondLaunchUpload(o, b, 100, 64, mode[0], mode[1]);
                String what = o.describe() + (mode[0] ? " chain" : " marginals") + (mode[1] ? " scored" : "");
                assertEquals(one, many, what + ": a request of 64 queries uploads what a request of one does");
                assertTrue(many <= 256, what + ": " + many + " bytes for 64 queries (16 per query before)");
            }
        }
    }
}
