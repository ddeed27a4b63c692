package io.autospec.onnx;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.ar.ArTesting;
import io.autospec.ar.Conditioned;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.ForwardingConditionalOracle;
import io.autospec.ar.Vocabulary;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Infilling on a learned (inconsistent) network, and text models' vocabularies. The tiny model
 * (n = 4, q = 3) with position 2 pinned: the reference law of the free positions is sequential
 * sampling along a uniformly random order of the free positions given the pin, summed here over all
 * 3! orders with conditionals from ONNX Runtime run directly ({@link TinyModelTest}). Standard check
 * per strategy (5 replicates at alpha = 0.01, fail on 3 or more: false-failure rate 9.9e-6; 5
 * strategies, at most 5e-5 for the class); the same check rejects a planted variant that samples
 * the free positions left to right (exact only for consistent models).
 */
class InfillTest {
    static final Path RES = Path.of(System.getProperty("autospec.source.dir", ".."), "onnx", "src", "test", "resources", "io",
            "autospec", "onnx");
    static final int N = 4, Q = 3, M = 3_000;
    static final int[] GIVEN = {-1, -1, 1, -1};

    static OnnxOracle oracle;
    static double[][][] table;
    static double[] law; // over [Q]^N, zero off the pin

    @BeforeAll
    static void setUp() throws Exception {
        oracle = OnnxOracle.open(RES.resolve("tiny-text.onnx"), OnnxOracle.Options.defaults().withThreads(1));
        table = TinyModelTest.bruteForceConditionals();
        law = pinnedLaw(GIVEN, false);
    }

    @AfterAll
    static void tearDown() {
        oracle.close();
    }

    /** The law of sequential sampling of the free positions after the pins, over all orders (or left to right). */
    static double[] pinnedLaw(int[] given, boolean leftToRight) {
        List<Integer> free = new ArrayList<>();
        for (int i = 0; i < N; i++) if (given[i] < 0) free.add(i);
        List<int[]> orders = new ArrayList<>();
        if (leftToRight) orders.add(free.stream().mapToInt(Integer::intValue).toArray());
        else for (int[] p : TinyModelTest.permutations(free.size())) orders.add(java.util.Arrays.stream(p).map(free::get).toArray());
        double[] p = new double[ArTesting.cells(N, Q)];
        for (int cell = 0; cell < p.length; cell++) {
            int[] x = ArTesting.decode(cell, N, Q);
            boolean ok = true;
            for (int i = 0; i < N; i++) ok &= given[i] < 0 || given[i] == x[i];
            if (!ok) continue;
            double sum = 0;
            for (int[] sigma : orders) {
                int[] tokens = new int[N];
                for (int i = 0; i < N; i++) tokens[i] = given[i] < 0 ? Q : given[i];
                double prob = 1;
                for (int pos : sigma) {
                    prob *= table[TinyModelTest.code(tokens)][pos][x[pos]];
                    tokens[pos] = x[pos];
                }
                sum += prob;
            }
            p[cell] = sum / orders.size();
        }
        return p;
    }

    static double pValue(Conditioned c, Strategy st, long seed, double[] law) {
        List<int[]> full = new ArrayList<>();
        for (int[] x : ArTesting.run(c, st, seed, M).samples()) full.add(c.complete(x));
        return GoodnessOfFit.chiSquarePValue(law, ArTesting.counts(full, Q, law.length));
    }

    static Strategy strategy(String s) {
        return switch (s) {
            case "sequential" -> Autospec.sequential();
            case "speculative" -> Autospec.speculative();
            case "token" -> Autospec.token(2);
            case "jacobi" -> Autospec.jacobi();
            case "auto" -> Autospec.auto().budget(1);
            default -> throw new IllegalArgumentException(s);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"sequential", "speculative", "token", "jacobi", "auto"})
    void everyStrategySamplesThePinnedLaw(String name) {
        Conditioned c = Conditioned.of(oracle, GIVEN);
        Strategy st = strategy(name);
        long base = 4_242L + 1_000_003L * name.hashCode();
        GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> pValue(c, st, base + 7_919L * r, law));
        assertTrue(o.passed(), name + ": " + o);
    }

    /** Left-to-right sampling of the free positions is another law on an inconsistent network: rejected. */
    @Test
    void plantedLeftToRightIsRejected() {
        int[] given = {1, -1, -1, -1}; // a prefix, so the left-to-right variant is well defined
        ConditionalOracle ltr = new ForwardingConditionalOracle(oracle) {
            @Override
            public boolean leftToRight() {
                return true;
            }
        };
        Conditioned planted = Conditioned.of(ltr, given);
        double[] right = pinnedLaw(given, false);
        assertTrue(ArTesting.tv(right, pinnedLaw(given, true)) > 0.02, "the variant should differ from the law");
        GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> pValue(planted, Autospec.sequential(), 99 + r, right));
        assertFalse(o.passed(), "planted left-to-right passed: " + o);
        // ... and the real one passes the same check on the same pins.
        Conditioned real = Conditioned.of(oracle, given);
        assertTrue(GoodnessOfFit.standard(r -> pValue(real, Autospec.sequential(), 99 + r, right)).passed());
    }

    /** One network row per (branch, k) context through the wrapper, as without it. */
    @Test
    void oneRowPerContext() {
        Conditioned c = Conditioned.of(oracle, GIVEN);
        long before = oracle.forwardRows();
        var r = ArTesting.run(c, Autospec.sequential(), 3, 50);
        // sequential: one context per step, 3 free steps per sample
        assertEquals(50L * 3, oracle.forwardRows() - before);
        assertEquals(r.metrics().queries(), 50L * 3);
        List<int[]> seq = r.samples();
        List<int[]> jac = ArTesting.run(c, Autospec.jacobi(), 3, 50).samples();
        for (int i = 0; i < seq.size(); i++) assertArrayEquals(seq.get(i), jac.get(i));
    }

    @Test
    void vocabularyFromMetadataOrSidecar(@TempDir Path dir) throws Exception {
        Vocabulary v = oracle.vocabulary();
        assertEquals("ab ", v.symbols());
        assertEquals("ba a", v.decode(new int[] {1, 0, 2, 0}));
        assertArrayEquals(new int[] {0, -1, 2, -1}, v.pattern("a_ ", 4));
        assertArrayEquals(new int[] {1, -1, -1, -1}, v.pattern("B", 4)); // upper case read as lower case
        assertThrows(IllegalArgumentException.class, () -> v.pattern("abcd", 4));
        assertThrows(IllegalArgumentException.class, () -> v.pattern("a b a", 4));
        try (OnnxOracle plain = OnnxOracle.open(RES.resolve("tiny.onnx"), OnnxOracle.Options.defaults().withThreads(1))) {
            assertNull(plain.vocabulary());
        }
        Path copy = dir.resolve("m.onnx");
        Files.copy(RES.resolve("tiny.onnx"), copy);
        Files.writeString(copy.resolveSibling("m.onnx.vocab"), "xyz\n");
        try (OnnxOracle side = OnnxOracle.open(copy, OnnxOracle.Options.defaults().withThreads(1))) {
            assertEquals("xyz", side.vocabulary().symbols());
        }
        Files.writeString(copy.resolveSibling("m.onnx.vocab"), "xy");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> OnnxOracle.open(copy, OnnxOracle.Options.defaults()));
        assertTrue(e.getMessage().contains("q = 3"), e.getMessage());
    }
}
