package io.autospec.ar.models.det;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ArTesting;
import io.autospec.ar.ConditionalOracle;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AR strategy samples the exact determinantal law: a chi-square test of the sampled subsets
 * against the law enumerated from each model's definition ({@link DetZoo}): the 192 spanning trees
 * of the 3 x 3 grid, the weighted spanning trees of a 5-vertex multigraph, the 8 and 64 tilings of
 * the Aztec diamonds of order 2 and 3 (uniform), the 64 subsets of an N = 6 L-ensemble
 * (det(L_Y) / det(L + I)), and the 64 subsets of the Gaussian L-ensemble of 6 points in the plane
 * (dpp:points; L written out from its formula in {@link DetZoo#pointsL}).
 *
 * <p>Each check is {@link GoodnessOfFit#standard}: 5 replicates of one run of {@value #M} samples
 * each (fixed seeds), alpha = 0.01, fail on 3 or more rejections: false-failure rate 9.9e-6 per
 * check, at most 24 x 9.9e-6 = 2.4e-4 for the matrix. The same check rejects the planted wrong
 * variants below (power).
 */
class DeterminantalGoodnessOfFitTest {
    /** Samples per replicate: at least ~15 expected per cell of the 192-tree law. */
    static final int M = 3000;

    static final String[] MODELS = {"ust(grid=3x3)", "ust(weighted5)", "aztec(order=2)", "aztec(order=3)", "dpp(N=6)", "dpp(points,N=6)"};
    static final String[] STRATEGIES = {"sequential", "speculative", "speculative(rho=0.3,no-early,maxSpan=4)", "token(w=4)"};

    /** A model and its exact law as subset bitmask (bit e = position e) -> probability. */
    record Case(ConditionalOracle oracle, Map<Long, Double> law) {}

    private static final Map<String, Case> CASES = new HashMap<>();

    static synchronized Case model(String name) {
        return CASES.computeIfAbsent(name, nm -> switch (nm) {
            case "ust(grid=3x3)" -> fromArray(DetZoo.grid3Model());
            case "ust(weighted5)" -> fromArray(DetZoo.weighted5Model());
            case "aztec(order=2)" -> fromArray(DetZoo.aztecModel(2));
            case "aztec(order=3)" -> new Case(new AztecDiamond(3).oracle(), tilings(new AztecDiamond(3)));
            case "dpp(N=6)" -> fromArray(DetZoo.ensembleModel());
            case "dpp(points,N=6)" -> fromArray(DetZoo.pointsModel());
            default -> throw new IllegalArgumentException(nm);
        });
    }

    static Case fromArray(DetZoo.Model m) {
        Map<Long, Double> law = new HashMap<>();
        for (int i = 0; i < m.law().length; i++) if (m.law()[i] > 0) law.put((long) i, m.law()[i]);
        return new Case(m.oracle(), law);
    }

    /** All tilings of a small Aztec diamond by backtracking (first uncovered cell: right or up). */
    static Map<Long, Double> tilings(AztecDiamond a) {
        List<Long> found = new ArrayList<>();
        tile(a, new boolean[a.cells()], 0, 0L, found);
        Map<Long, Double> law = new HashMap<>();
        for (long t : found) law.put(t, 1.0 / found.size());
        return law;
    }

    private static void tile(AztecDiamond a, boolean[] covered, int from, long edges, List<Long> out) {
        int c = from;
        while (c < covered.length && covered[c]) c++;
        if (c == covered.length) {
            out.add(edges);
            return;
        }
        covered[c] = true;
        for (int nb : new int[] {a.cell(a.cellX(c) + 1, a.cellY(c)), a.cell(a.cellX(c), a.cellY(c) + 1)}) {
            if (nb < 0 || covered[nb]) continue;
            covered[nb] = true;
            tile(a, covered, c + 1, edges | 1L << a.edge(c, nb), out);
            covered[nb] = false;
        }
        covered[c] = false;
    }

    static Strategy strategy(String name) {
        return switch (name) {
            case "sequential" -> Autospec.sequential();
            case "speculative" -> Autospec.speculative();
            case "speculative(rho=0.3,no-early,maxSpan=4)" -> Autospec.speculative().rho(0.3).earlyDecision(false).maxSpeculationSpan(4);
            case "token(w=4)" -> Autospec.token(4);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static long key(int[] x) {
        long k = 0;
        for (int i = 0; i < x.length; i++) if (x[i] != 0) k |= 1L << i;
        return k;
    }

    /** The standard check of one oracle and strategy against a law. */
    static GoodnessOfFit.Outcome check(ConditionalOracle oracle, Map<Long, Double> law, Strategy strategy, long seed) {
        return GoodnessOfFit.standard(r -> {
            RunResult<int[]> run = ArTesting.run(oracle, strategy, seed + 7_919L * r, M);
            assertEquals(M, run.samples().size());
            List<Long> keys = new ArrayList<>(M);
            for (int[] x : run.samples()) keys.add(key(x));
            return GoodnessOfFit.chiSquarePValue(law, keys);
        });
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (String m : MODELS) for (String s : STRATEGIES) out.add(Arguments.of(m, s));
        return out.stream();
    }

    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cases")
    void samplesTheExactLaw(String modelName, String strategyName) {
        Case c = model(modelName);
        long seed = 5_000_011L * (List.of(MODELS).indexOf(modelName) + 1) + 10_007L * (List.of(STRATEGIES).indexOf(strategyName) + 1);
        GoodnessOfFit.Outcome outcome = check(c.oracle(), c.law(), strategy(strategyName), seed);
        assertTrue(outcome.passed(), modelName + " x " + strategyName + ": " + outcome);
    }

    @Test
    void enumerationsHaveTheKnownCounts() {
        assertEquals(192, model("ust(grid=3x3)").law().size());
        assertEquals(8, model("aztec(order=2)").law().size());
        assertEquals(64, model("aztec(order=3)").law().size());
        assertEquals(64, model("dpp(N=6)").law().size());
        assertEquals(64, model("dpp(points,N=6)").law().size());
        double total = model("dpp(N=6)").law().values().stream().mapToDouble(Double::doubleValue).sum();
        assertEquals(1.0, total, 1e-12);
        // the unnormalised total of det(L_Y) over all Y is det(L + I)
        double[] raw = DetZoo.ensembleLaw(DetZoo.l6());
        assertEquals(1.0, java.util.Arrays.stream(raw).sum(), 1e-12);
    }

    // ---- power: the same check rejects planted wrong variants ----

    static Stream<Arguments> planted() {
        return Stream.of(
                Arguments.of("ust(grid=3x3)", "ignores-exclusions", "speculative"),
                Arguments.of("ust(grid=3x3)", "ignores-exclusions", "sequential"),
                Arguments.of("aztec(order=3)", "ignores-exclusions", "token(w=4)"),
                Arguments.of("dpp(N=6)", "ignores-exclusions", "speculative"),
                Arguments.of("ust(weighted5)", "perturbed-kernel", "speculative"),
                Arguments.of("dpp(N=6)", "perturbed-kernel", "sequential"),
                Arguments.of("dpp(points,N=6)", "perturbed-kernel", "token(w=4)"));
    }

    /**
     * Perturbed kernels: the weighted graph with edge 0's weight 1.0 -> 1.3 (TV to the true law
     * 0.065), and the L-ensemble with L_00 raised by 0.5 (TV 0.097); both are valid kernels of a
     * slightly different process ({@link #perturbationsAreSmall}); the 6-point Gaussian ensemble with
     * the factor 2 lost from its formula, exp(-d^2 / B^2) (TV 0.075). Ignoring exclusions is far off
     * (it samples non-trees, non-tilings).
     */
    static ConditionalOracle plantedOracle(String model, String variant) {
        if (variant.equals("ignores-exclusions")) return ((DeterminantalOracle) model(model).oracle()).plantedIgnoringExclusions();
        return switch (model) {
            case "ust(weighted5)" -> perturbedTrees().oracle();
            case "dpp(N=6)" -> LEnsemble.of(perturbedL(), "l6 perturbed").oracle();
            case "dpp(points,N=6)" -> LEnsemble.of(DetZoo.pointsL(DetZoo.POINTS6, DetZoo.BANDWIDTH6, 1), "6 points, lost factor 2").oracle();
            default -> throw new IllegalArgumentException(model);
        };
    }

    static SpanningTrees perturbedTrees() {
        SpanningTrees g = DetZoo.weighted5();
        int[] t = new int[g.edges()], h = new int[g.edges()];
        double[] w = new double[g.edges()];
        for (int e = 0; e < g.edges(); e++) {
            t[e] = g.tail(e);
            h[e] = g.head(e);
            w[e] = g.weight(e);
        }
        w[0] = 1.3;
        return SpanningTrees.of(g.vertices(), t, h, w, "ust(weighted 5-vertex, w0=1.3)");
    }

    static double[][] perturbedL() {
        double[][] l = DetZoo.l6();
        l[0][0] += 0.5; // still positive definite
        return l;
    }

    /** The perturbations are small (TV to the true law under 0.1) yet valid processes. */
    @Test
    void perturbationsAreSmall() {
        double tvUst = ArTesting.tv(DetZoo.treeLaw(DetZoo.weighted5()), DetZoo.treeLaw(perturbedTrees()));
        double tvDpp = ArTesting.tv(DetZoo.ensembleLaw(DetZoo.l6()), DetZoo.ensembleLaw(perturbedL()));
        System.out.println("planted perturbations: TV " + tvUst + " (ust), " + tvDpp + " (dpp)");
        assertTrue(tvUst > 0.01 && tvUst < 0.1, "TV " + tvUst);
        assertTrue(tvDpp > 0.01 && tvDpp < 0.1, "TV " + tvDpp);
        double tvPoints = ArTesting.tv(DetZoo.ensembleLaw(DetZoo.pointsL(DetZoo.POINTS6, DetZoo.BANDWIDTH6, 2)),
                DetZoo.ensembleLaw(DetZoo.pointsL(DetZoo.POINTS6, DetZoo.BANDWIDTH6, 1)));
        assertTrue(tvPoints > 0.05 && tvPoints < 0.1, "TV " + tvPoints);
    }

    @ParameterizedTest(name = "{1} on {0} with {2}")
    @MethodSource("planted")
    void standardCheckRejectsPlantedVariant(String modelName, String variant, String strategyName) {
        GoodnessOfFit.Outcome outcome = check(plantedOracle(modelName, variant), model(modelName).law(), strategy(strategyName), 424_242L);
        assertFalse(outcome.passed(), variant + " on " + modelName + " with " + strategyName + " was not rejected: " + outcome);
    }
}
