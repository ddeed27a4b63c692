package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.LeftToRight;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.ar.models.TableOracle;
import io.autospec.ar.models.det.LEnsemble;
import io.autospec.core.Coupling;
import io.autospec.spi.Node;
import io.autospec.core.Strategy;
import io.autospec.spi.Key;
import io.autospec.spi.Purpose;
import io.autospec.testing.GoodnessOfFit;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The {@code gumbel} coupling: Gumbel-max draws with one Philox uniform per (step, value),
 * fixed once per step.
 * <ul>
 *   <li>Exactness: {@code sequential}, {@code jacobi} and {@code auto} (re-drafting scaled to small n,
 *       so that drafts are used) under gumbel pass the standard chi-square check against enumeration
 *       on table models with q = 3 and q = 5 and a Potts chain with q = 3 (5 replicates of {@value #M}
 *       samples at alpha = 0.01, fail on 3 or more: false-failure rate 9.9e-6 a check, 8.9e-5 for
 *       the 9 checks; default {@code auto} is covered by its bit identity with sequential).</li>
 *   <li>Bit identity: jacobi and auto under gumbel return the sequential-under-gumbel samples bit for
 *       bit on every AR model kind (deterministic), and differ from the inverse-CDF samples.</li>
 *   <li>Power: noise redrawn at each sweep ({@code REDRAW_NOISE}) breaks the bit identity; noise
 *       shared across the positions of a sample fails the same chi-square check.</li>
 * </ul>
 */
class CouplingTest {
    static final int M = 20_000;

    @TempDir
    static Path dir;

    /** A table over [5]^3 with uneven weights and some zero cells (law in {@link ArTesting#index} order). */
    static ArZoo.Model table5() {
        int n = 3, q = 5, cells = ArTesting.cells(n, q);
        int[][] xs = new int[cells][];
        double[] w = new double[cells];
        for (int i = 0; i < cells; i++) {
            xs[i] = ArTesting.decode(i, n, q);
            w[i] = (i * 7) % 11 == 3 ? 0 : 1 + (i * 13) % 9 + (xs[i][0] == xs[i][2] ? 4 : 0);
        }
        double[] law = ArTesting.law(n, q, x -> w[ArTesting.index(x, q)]);
        return new ArZoo.Model("table(n=3,q=5)", new TableOracle(n, q, xs, w, "test table q=5"), law);
    }

    static final String[] MODELS = {"table(n=5,q=3,zeros)", "table(n=3,q=5)", "potts(n=5,q=3,stay=0.7)"};
    static final String[] STRATEGIES = {"sequential", "jacobi", "auto(stall=1/1x1,drafts=2x1)"};

    static ArZoo.Model model(String name) {
        return name.equals("table(n=3,q=5)") ? table5() : StrategyGoodnessOfFitTest.model(name, dir);
    }

    static Strategy strategy(String name, Coupling c) {
        return switch (name) {
            case "sequential" -> Autospec.sequential().coupling(c);
            case "jacobi" -> Autospec.jacobi().coupling(c);
            case "auto" -> Autospec.auto().coupling(c);
            case "auto(stall=1/1x1,drafts=2x1)" -> Autospec.auto().stallRule(1, 1).drafts(2, 1).coupling(c);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> cases() {
        return Arrays.stream(MODELS).flatMap(m -> Arrays.stream(STRATEGIES).map(s -> Arguments.of(m, s)));
    }

    static GoodnessOfFit.Outcome check(ArZoo.Model model, Strategy strategy, long baseSeed) {
        return GoodnessOfFit.standard(r -> {
            RunResult<int[]> run = ArTesting.run(model.oracle(), strategy, baseSeed + 7_919L * r, M);
            return GoodnessOfFit.chiSquarePValue(model.law(), ArTesting.counts(run.samples(), model.q(), model.law().length));
        });
    }

    @ParameterizedTest(name = "{0} x {1} under gumbel")
    @MethodSource("cases")
    void gumbelSamplesTheExactLaw(String modelName, String strategyName) {
        Strategy s = strategy(strategyName, Coupling.GUMBEL);
        assertTrue(s.exact());
        long seed = 3_000_017L * (List.of(MODELS).indexOf(modelName) + 1) + 1_013L * (List.of(STRATEGIES).indexOf(strategyName) + 1);
        GoodnessOfFit.Outcome outcome = check(model(modelName), s, seed);
        assertTrue(outcome.passed(), modelName + " x " + s + ": " + outcome);
    }

    static Stream<Arguments> arKinds() {
        return Stream.of(
                Arguments.of("markov(n=300,stay=0.9)", MarkovChain.stay(300, 2, 0.9)),
                Arguments.of("potts(n=100,q=5,stay=0.6)", MarkovChain.stay(100, 5, 0.6)),
                Arguments.of("potts(n=80,q=16,stay=0.5)", MarkovChain.stay(80, 16, 0.5)),
                Arguments.of("curie-weiss(n=150,beta=1.0)", new CurieWeiss(150, 1.0, 0.0)),
                Arguments.of("parity(n=40,C=12)", ParityOracle.random(40, 12, 5)),
                Arguments.of("product(n=50,q=4)", ProductOracle.random(50, 4, 9)),
                Arguments.of("table(n=5,q=3,zeros)", ArZoo.table(dir, 5).oracle()),
                Arguments.of("table(n=3,q=5)", table5().oracle()),
                Arguments.of("dpp(n=12,rank=6)", LEnsemble.random(12, 6, 5).oracle()),
                Arguments.of("markov(n=60,stay=0.99,left to right)", LeftToRight.stayChain(60, 2, 0.99)));
    }

    /**
     * Same seed, gumbel: jacobi (windows 1, 7, all) and auto (default, re-drafting scaled to small n,
     * window 7) return exactly the sequential-under-gumbel samples; the planted REDRAW_NOISE variant
     * does not. On models with q &gt; 2 or uneven rows the gumbel samples differ from the inverse-CDF ones.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("arKinds")
    void bitIdenticalToSequentialUnderGumbel(String name, ConditionalOracle oracle) {
        long seed = 777L + name.hashCode();
        int m = 100, n = oracle.length();
        RunResult<int[]> seq = ArTesting.run(oracle, Autospec.sequential().coupling(Coupling.GUMBEL), seed, m);
        for (Strategy s : new Strategy[] {Autospec.jacobi(1).coupling(Coupling.GUMBEL), Autospec.jacobi(7).coupling(Coupling.GUMBEL),
            Autospec.jacobi().coupling(Coupling.GUMBEL), Autospec.auto().coupling(Coupling.GUMBEL),
            Autospec.auto().stallRule(1, 1).drafts(2, 1).coupling(Coupling.GUMBEL), Autospec.auto().coupling(Coupling.GUMBEL).window(7).stallRule(1, 1)}) {
            RunResult<int[]> r = ArTesting.run(oracle, s, seed, m);
            assertTrue(r.exact());
            for (int i = 0; i < m; i++) assertArrayEquals(seq.samples().get(i), r.samples().get(i), s + " on " + name + ": sample " + i);
            assertTrue(r.metrics().rounds() <= n, s + ": " + r.metrics().rounds() + " rounds > n = " + n);
        }
        RunResult<int[]> inverse = ArTesting.run(oracle, Autospec.sequential().coupling(Coupling.INVERSE_CDF), seed, m);
        int differ = 0;
        for (int i = 0; i < m; i++) if (!Arrays.equals(seq.samples().get(i), inverse.samples().get(i))) differ++;
        assertTrue(differ > 0, "gumbel reproduced the inverse-CDF samples on " + name);
        // Noise redrawn at each sweep: every certified value is still a draw from its conditional, but
        // not the sequential one; the identity check sees it (except where the law is a point mass).
        if (!name.startsWith("parity") && !name.startsWith("dpp")) {
            for (Strategy bad : new Strategy[] {Autospec.jacobi().coupling(Coupling.GUMBEL).plantedRedrawNoise(),
                Autospec.auto().coupling(Coupling.GUMBEL).plantedRedrawNoise()}) {
                assertFalse(bad.exact());
                RunResult<int[]> r = ArTesting.run(oracle, bad, seed, m);
                int d = 0;
                for (int i = 0; i < m; i++) if (!Arrays.equals(seq.samples().get(i), r.samples().get(i))) d++;
                assertTrue(d > 0, bad + " reproduced sequential on " + name);
            }
        }
    }

    /**
     * The default coupling ({@link Coupling#AUTO}) is the inverse CDF on a binary alphabet and
     * Gumbel-max from q = 3 on: bit identical to the explicit choice, rounds included, with the same
     * printed settings; and the two really differ at q = 5.
     */
    @Test
    void theDefaultIsInverseCdfAtQ2AndGumbelAbove() {
        ConditionalOracle binary = MarkovChain.stay(64, 2, 0.6), five = MarkovChain.stay(64, 5, 0.6);
        for (Object[] c : new Object[][] {{binary, Coupling.INVERSE_CDF}, {five, Coupling.GUMBEL}}) {
            ConditionalOracle oracle = (ConditionalOracle) c[0];
            Coupling explicit = (Coupling) c[1];
            for (Strategy[] pair : new Strategy[][] {
                {Autospec.sequential(), Autospec.sequential().coupling(explicit)},
                {Autospec.jacobi(), Autospec.jacobi().coupling(explicit)},
                {Autospec.auto(), Autospec.auto().coupling(explicit)}}) {
                RunResult<int[]> a = ArTesting.run(oracle, pair[0], 5, 20), b = ArTesting.run(oracle, pair[1], 5, 20);
                for (int i = 0; i < 20; i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), pair[0] + " vs " + pair[1]);
                assertEquals(a.metrics().rounds(), b.metrics().rounds());
            }
        }
        RunResult<int[]> d = ArTesting.run(five, Autospec.sequential(), 5, 20), i = ArTesting.run(five, Autospec.sequential().coupling(Coupling.INVERSE_CDF), 5, 20);
        int differ = 0;
        for (int k = 0; k < 20; k++) if (!Arrays.equals(d.samples().get(k), i.samples().get(k))) differ++;
        assertTrue(differ > 0, "the default reproduced the inverse CDF at q = 5");
        assertEquals(Coupling.AUTO, Autospec.auto().coupling());
        assertEquals(Coupling.AUTO, Coupling.of("auto"));
        assertEquals("sequential{coupling=gumbel}", Autospec.sequential().coupling(Coupling.GUMBEL).toString());
        assertEquals("sequential{coupling=inverse-cdf}", Autospec.sequential().coupling(Coupling.INVERSE_CDF).toString());
        assertEquals("sequential", Autospec.sequential().toString());
        assertEquals("gumbel", Autospec.auto().coupling(Coupling.GUMBEL).window(9).settings().get("coupling"));
    }

    /**
     * Gumbel-max keeps the value at least with the Jaccard probability on the reference's case B
     * (p = (1/3,1/3,1/3), p' = (0,1/3,2/3): Gumbel 0.583, Jaccard 0.5, inverse CDF 0.333); 20000
     * noises, so the bounds hold by more than 10 standard deviations.
     */
    @Test
    void gumbelKeepsValuesMoreOftenThanInverseCdf() {
        double[] rows = {1 / 3.0, 1 / 3.0, 1 / 3.0, 0, 1 / 3.0, 2 / 3.0};
        int trials = 20_000;
        int[] agree = new int[2];
        long[] seen = new long[3];
        for (int t = 0; t < trials; t++) {
            Node node = new Node(0, Key.ofSeed(99).derive(Purpose.TAG_STEP, t, 0), 0, io.autospec.spi.CancelScope.ROOT);
            int k = 0;
            for (Coupling c : List.of(Coupling.GUMBEL, Coupling.INVERSE_CDF)) {
                double[] r = c.noise(node, t, 3);
                int x = c.draw(rows, 0, 3, r), y = c.draw(rows, 3, 3, r);
                if (x == y) agree[k]++;
                if (k == 0) seen[x]++;
                k++;
            }
        }
        double g = agree[0] / (double) trials, inv = agree[1] / (double) trials;
        assertTrue(Math.abs(g - 7 / 12.0) < 0.02, "gumbel agreement " + g);
        assertTrue(Math.abs(inv - 1 / 3.0) < 0.02, "inverse-CDF agreement " + inv);
        // And the gumbel draw has the row's law: chi-square (false-failure rate 1e-4).
        assertTrue(GoodnessOfFit.chiSquarePValue(new double[] {1 / 3.0, 1 / 3.0, 1 / 3.0}, seen) > 1e-4, Arrays.toString(seen));
    }

    /**
     * Planted: Gumbel noise shared across the positions of a sample (keyed by the sample only). Each
     * step's value is still a draw from its conditional, but the steps are no longer independent given
     * their conditionals; the standard chi-square check rejects it for sequential, jacobi and auto.
     */
    @ParameterizedTest(name = "{0} with noise shared across positions")
    @MethodSource("sharedCases")
    void standardCheckRejectsSharedNoise(String strategyName, String modelName) {
        Strategy s = strategy(strategyName, SHARED);
        GoodnessOfFit.Outcome outcome = check(model(modelName), s, 44_000L + strategyName.hashCode());
        assertFalse(outcome.passed(), strategyName + " with shared noise passed on " + modelName + ": " + outcome);
    }

    static Stream<Arguments> sharedCases() {
        return Stream.of(Arguments.of("sequential", "table(n=3,q=5)"), Arguments.of("jacobi", "potts(n=5,q=3,stay=0.7)"),
                Arguments.of("auto", "table(n=5,q=3,zeros)"));
    }

    /** The planted coupling: Gumbel-max with one set of q uniforms per sample, shared by all its steps. */
    static final Coupling SHARED = new Coupling() {
        @Override
        public String name() {
            return "gumbel-shared";
        }

        @Override
        public double[] noise(Node node, int index, int q) {
            double[] e = new double[q];
            Key k = Key.ofSeed(node.sample());
            for (int v = 0; v < q; v++) e[v] = -Math.log(1 - k.uniform(Purpose.GUMBEL, 0, v));
            return e;
        }

        @Override
        public int draw(double[] rows, int base, int q, double[] noise) {
            return Coupling.gumbelMax(rows, base, q, noise);
        }
    };
}
