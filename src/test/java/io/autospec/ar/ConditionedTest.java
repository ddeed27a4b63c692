package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.LeftToRight;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Infilling ({@link Conditioned}): every strategy samples the law of the free positions given the
 * pins. Chi-square of the completed samples against the zoo law restricted to the pins and
 * renormalised (enumerated from each model's definition), on five model families with q = 2 and 3.
 *
 * <p>Each check is {@link GoodnessOfFit#standard} (5 replicates of {@value #M} samples at alpha =
 * 0.01, fail on 3 or more rejections): false-failure rate 9.9e-6 per check, 25 checks here, so at
 * most 2.5e-4 for the class. Power: a planted wrapper that forgets the pins when it asks the model
 * (it samples the free positions' marginal law) is rejected by the same check.
 */
class ConditionedTest {
    static final int M = 2_500;

    @TempDir
    static Path dir;

    /** A model with the pins of the test (positive probability under the model). */
    record Case(ArZoo.Model model, int[] given) {
        @Override
        public String toString() {
            return model.name() + " given " + java.util.Arrays.toString(given);
        }
    }

    static Case pinned(String name) {
        return switch (name) {
            case "table" -> new Case(ArZoo.table(dir, 5), new int[] {-1, 2, -1, -1, 0});
            case "potts" -> new Case(ArZoo.stay(6, 3, 0.7), new int[] {-1, -1, 2, -1, -1, 1});
            case "curie-weiss" -> new Case(ArZoo.curieWeiss(7, 1.2, 0.1), new int[] {1, -1, -1, 0, -1, -1, -1});
            case "parity" -> {
                ArZoo.Model p = ArZoo.parity(7, 3, 1);
                // Pin two positions to the values of a solution: positive probability.
                int[] x = null;
                for (int i = 0; i < p.law().length && x == null; i++) if (p.law()[i] > 0) x = ArTesting.decode(i, 7, 2);
                yield new Case(p, new int[] {-1, x[1], -1, -1, x[4], -1, -1});
            }
            case "product" -> new Case(ArZoo.product5x3(), new int[] {-1, -1, 1, -1, -1});
            default -> throw new IllegalArgumentException(name);
        };
    }

    static final String[] MODELS = {"table", "potts", "curie-weiss", "parity", "product"};
    static final String[] STRATEGIES = {"sequential", "speculative", "token(w=2)", "jacobi", "auto(stall=1/1x1,drafts=2x1)"};

    static Strategy strategy(String s) {
        return switch (s) {
            case "sequential" -> Autospec.sequential();
            case "speculative" -> Autospec.speculative();
            case "token(w=2)" -> Autospec.token(2);
            case "jacobi" -> Autospec.jacobi();
            case "auto(stall=1/1x1,drafts=2x1)" -> Autospec.auto().stallRule(1, 1).drafts(2, 1);
            default -> throw new IllegalArgumentException(s);
        };
    }

    /** The law over [q]^n given the pins (zero off the pins), renormalised. */
    static double[] conditionalLaw(double[] law, int n, int q, int[] given) {
        double[] c = new double[law.length];
        double total = 0;
        for (int i = 0; i < law.length; i++) {
            int[] x = ArTesting.decode(i, n, q);
            boolean ok = true;
            for (int p = 0; p < n; p++) ok &= given[p] < 0 || given[p] == x[p];
            if (ok) {
                c[i] = law[i];
                total += law[i];
            }
        }
        for (int i = 0; i < c.length; i++) c[i] /= total;
        return c;
    }

    /** Completed samples of one run, as cells of [q]^n. */
    static long[] completedCounts(Conditioned c, Strategy st, long seed, int m, int cells) {
        RunResult<int[]> r = ArTesting.run(c, st, seed, m);
        List<int[]> full = new ArrayList<>();
        for (int[] x : r.samples()) full.add(c.complete(x));
        return ArTesting.counts(full, c.alphabet(), cells);
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String m : MODELS) for (String s : STRATEGIES) out.add(Arguments.of(m, s));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cases")
    void samplesTheConditionalLaw(String modelName, String strategyName) {
        Case k = pinned(modelName);
        ArZoo.Model m = k.model();
        Conditioned c = Conditioned.of(m.oracle(), k.given());
        double[] law = conditionalLaw(m.law(), m.n(), m.q(), k.given());
        long base = 31L * List.of(MODELS).indexOf(modelName) + 1_000_003L * List.of(STRATEGIES).indexOf(strategyName) + 77;
        Strategy st = strategy(strategyName);
        GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r ->
                GoodnessOfFit.chiSquarePValue(law, completedCounts(c, st, base + 7_919L * r, M, law.length)));
        assertTrue(o.passed(), k + " x " + strategyName + ": " + o);
    }

    /** Fixed-point strategies return the sequential samples of the conditioned model bit for bit. */
    @Test
    void jacobiAndAutoEqualSequential() {
        Case k = pinned("potts");
        Conditioned c = Conditioned.of(k.model().oracle(), k.given());
        List<int[]> seq = ArTesting.run(c, Autospec.sequential(), 5, 200).samples();
        for (Strategy st : List.of(Autospec.jacobi(), Autospec.auto())) {
            List<int[]> other = ArTesting.run(c, st, 5, 200).samples();
            for (int i = 0; i < seq.size(); i++) assertArrayEquals(seq.get(i), other.get(i), st + " sample " + i);
        }
    }

    /** With nothing pinned the wrapper is transparent: the model's own samples, bit for bit. */
    @Test
    void noPinsGivesTheModelsSamples() {
        ArZoo.Model m = ArZoo.table(dir, 5);
        int[] none = {-1, -1, -1, -1, -1};
        Conditioned c = Conditioned.of(m.oracle(), none);
        for (Strategy st : List.of(Autospec.sequential(), Autospec.speculative(), Autospec.auto())) {
            List<int[]> a = ArTesting.run(m.oracle(), st, 9, 100).samples();
            List<int[]> b = ArTesting.run(c, st, 9, 100).samples();
            for (int i = 0; i < a.size(); i++) assertArrayEquals(a.get(i), c.complete(b.get(i)), st + " sample " + i);
        }
    }

    /** Power: a wrapper that drops the pins from the model's context is rejected by the same check. */
    @Test
    void plantedForgetfulWrapperIsRejected() {
        Case k = pinned("potts");
        ArZoo.Model m = k.model();
        Conditioned right = Conditioned.of(m.oracle(), k.given());
        int[] free = right.free();
        // Asks the model for the free position given the branch's values only (no pins).
        ConditionalOracle forgetful = new ConditionalOracle() {
            @Override public int length() { return free.length; }
            @Override public int alphabet() { return m.q(); }
            @Override public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
                ConditionalOracle inner = m.oracle();
                ConditionalBatch ib = new ConditionalBatch(inner);
                for (int j = from; j < to; j++) {
                    Branch b = batch.context(j);
                    int[] sigma = new int[m.n()];
                    int r = 0;
                    for (int s = 0; s < free.length; s++) sigma[r++] = free[b.order().position(s)];
                    for (int p = 0; p < m.n(); p++) if (right.given()[p] >= 0) sigma[r++] = p;
                    Order o = Order.of(0, sigma).prepareFor(inner);
                    int[] vals = new int[b.length()];
                    b.copyValues(0, b.length(), vals, 0);
                    ib.add(Branch.empty(o, inner.prefixSummary()).extend(vals, 0, vals.length, inner.prefixSummary()),
                            free[batch.position(j)], batch.pinned(j));
                }
                inner.conditionals(ib, 0, to - from, ib.out());
                System.arraycopy(ib.out(), 0, out, from * m.q(), (to - from) * m.q());
            }
        };
        double[] law = conditionalLaw(m.law(), m.n(), m.q(), k.given());
        GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> {
            RunResult<int[]> run = ArTesting.run(forgetful, Autospec.sequential(), 500 + r, M);
            List<int[]> full = new ArrayList<>();
            for (int[] x : run.samples()) full.add(right.complete(x));
            return GoodnessOfFit.chiSquarePValue(law, ArTesting.counts(full, m.q(), law.length));
        });
        assertFalse(o.passed(), "the planted wrapper passed: " + o);
    }

    @Test
    void badPins() {
        ArZoo.Model m = ArZoo.stay(4, 3, 0.7);
        assertThrows(IllegalArgumentException.class, () -> Conditioned.of(m.oracle(), new int[] {0, 1, 2}));
        assertThrows(IllegalArgumentException.class, () -> Conditioned.of(m.oracle(), new int[] {0, 1, 2, 0}));
        assertThrows(IllegalArgumentException.class, () -> Conditioned.of(m.oracle(), new int[] {0, 3, -1, -1}));
        assertThrows(IllegalArgumentException.class, () -> Conditioned.parsePins("1=2,1=0", 4, 3));
        assertThrows(IllegalArgumentException.class, () -> Conditioned.parsePins("4=0", 4, 3));
        assertThrows(IllegalArgumentException.class, () -> Conditioned.parsePins("0=x", 4, 3));
        assertArrayEquals(new int[] {-1, 2, -1, 0}, Conditioned.parsePins("1=2, 3=0", 4, 3));
        assertTrue(Conditioned.isPinList("1=2, 3=0"));
        assertFalse(Conditioned.isPinList("the lord"));
        // A left-to-right model takes a prefix only.
        ConditionalOracle ltr = new LeftToRight(m.oracle(), "ltr");
        assertEquals(3, Conditioned.of(ltr, new int[] {1, -1, -1, -1}).length());
        assertThrows(IllegalArgumentException.class, () -> Conditioned.of(ltr, new int[] {-1, 1, -1, -1}));
        // Pins of probability zero are refused when the pinned model is built.
        ArZoo.Model p = ArZoo.parity(6, 6, 3);
        int[] bad = new int[6];
        double[] law = p.law();
        for (int i = 0; i < law.length; i++) {
            if (law[i] == 0) {
                int[] x = ArTesting.decode(i, 6, 2);
                System.arraycopy(x, 0, bad, 0, 6);
                break;
            }
        }
        bad[5] = -1;
        int[] b2 = bad.clone();
        // Whatever x5 is, some full assignment with these five values may still be a solution; pin all but one
        // and check only when neither completion is a solution.
        boolean impossible = true;
        for (int v = 0; v < 2; v++) {
            int[] x = b2.clone();
            x[5] = v;
            impossible &= law[ArTesting.index(x, 2)] == 0;
        }
        assertTrue(impossible, "the test pins should be impossible");
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conditioned.of(p.oracle(), b2));
        assertTrue(e.getMessage().contains("probability zero"), e.getMessage());
    }
}
