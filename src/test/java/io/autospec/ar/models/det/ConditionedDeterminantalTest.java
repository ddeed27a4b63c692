package io.autospec.ar.models.det;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.ar.ArTesting;
import io.autospec.ar.Conditioned;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Infilling on determinantal models: uniform spanning trees of the 3 x 3 grid with one edge forced
 * in and one forced out, and the 6-item L-ensemble with an item in and an item out, against their
 * enumerated laws restricted to the pins. Standard check (false-failure rate 9.9e-6 per check,
 * 2 models x 2 strategies).
 */
class ConditionedDeterminantalTest {
    static final int M = 2_000;

    static double[] restricted(double[] law, int n, int[] given) {
        double[] c = new double[law.length];
        double total = 0;
        for (int i = 0; i < law.length; i++) {
            int[] x = ArTesting.decode(i, n, 2);
            boolean ok = true;
            for (int p = 0; p < n; p++) ok &= given[p] < 0 || given[p] == x[p];
            if (ok) total += c[i] = law[i];
        }
        for (int i = 0; i < c.length; i++) c[i] /= total;
        return c;
    }

    static Strategy strategy(String s) {
        return switch (s) {
            case "sequential" -> Autospec.sequential();
            case "speculative" -> Autospec.speculative();
            case "auto" -> Autospec.auto();
            default -> throw new IllegalArgumentException(s);
        };
    }

    @ParameterizedTest
    @ValueSource(strings = {"speculative", "auto"})
    void pinnedTreesAndSubsets(String name) {
        DetZoo.Model[] models = {DetZoo.grid3Model(), DetZoo.ensembleModel()};
        for (DetZoo.Model m : models) {
            int n = m.n();
            int[] given = new int[n];
            java.util.Arrays.fill(given, -1);
            given[0] = 1;
            given[n - 1] = 0;
            Conditioned c = Conditioned.of(m.oracle(), given);
            double[] law = restricted(m.law(), n, given);
            Strategy st = strategy(name);
            GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> {
                List<int[]> full = new ArrayList<>();
                for (int[] x : ArTesting.run(c, st, 1_234L + 7_919L * r + name.length(), M).samples()) full.add(c.complete(x));
                return GoodnessOfFit.chiSquarePValue(law, ArTesting.counts(full, 2, law.length));
            });
            assertTrue(o.passed(), m + " x " + name + ": " + o);
        }
    }
}
