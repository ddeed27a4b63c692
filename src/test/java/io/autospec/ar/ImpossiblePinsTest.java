package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.ar.models.LeftToRight;
import io.autospec.ar.models.MarkovChain;
import io.autospec.core.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.api.Test;

/**
 * Pins of probability zero are refused when the pinned model is built, for every chain family:
 * the chain's oracle conditions a free position on its nearest pinned neighbours only, so two
 * contradicting adjacent pins never meet in a query and the run would print impossible samples.
 * Compatible pins still sample: every completed sample keeps the pins and has positive probability.
 */
class ImpossiblePinsTest {
    static final List<Strategy> STRATEGIES = List.of(Autospec.sequential(), Autospec.speculative(), Autospec.jacobi(), Autospec.auto());

    /** A chain family, contradictory pins for it and compatible pins. */
    record Case(String name, ConditionalOracle oracle, double[] law, int[] impossible, int[] possible) {
        @Override public String toString() { return name; }
    }

    static int[] pins(int n, int... posVal) {
        int[] g = new int[n];
        Arrays.fill(g, -1);
        for (int i = 0; i < posVal.length; i += 2) g[posVal[i]] = posVal[i + 1];
        return g;
    }

    static Stream<Arguments> chains() {
        ArZoo.Model frozen = ArZoo.stay(3, 2, 1.0);   // markov:q=2,stay=1.0: x never changes
        ArZoo.Model antiPotts = ArZoo.stay(4, 3, 0.0); // potts:q=3,stay=0.0: neighbours always differ
        List<Arguments> out = new ArrayList<>();
        out.add(Arguments.of(new Case("markov stay=1", frozen.oracle(), frozen.law(), pins(3, 0, 0, 1, 1), pins(3, 0, 1, 1, 1))));
        out.add(Arguments.of(new Case("potts stay=0", antiPotts.oracle(), antiPotts.law(), pins(4, 1, 2, 2, 2), pins(4, 1, 2, 2, 0))));
        out.add(Arguments.of(new Case("potts stay=0, pins out of order", antiPotts.oracle(), antiPotts.law(), pins(4, 3, 1, 2, 1, 0, 0), pins(4, 3, 1, 0, 0))));
        out.add(Arguments.of(new Case("ltr-markov stay=1", new LeftToRight(frozen.oracle(), "ltr"), frozen.law(), pins(3, 0, 0, 1, 1), pins(3, 0, 1, 1, 1))));
        // q >= 64: the closed form of the stay chain (no tables).
        MarkovChain closed = MarkovChain.stay(5, 64, 1.0);
        assertTrue(closed.closedForm());
        out.add(Arguments.of(new Case("markov closed form q=64 stay=1", closed, null, pins(5, 2, 7, 3, 8), pins(5, 2, 7, 3, 7))));
        MarkovChain closedAnti = MarkovChain.stay(5, 64, 0.0);
        out.add(Arguments.of(new Case("potts closed form q=64 stay=0", closedAnti, null, pins(5, 0, 9, 1, 9), pins(5, 0, 9, 1, 10))));
        return out.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void contradictoryPinsAreRefusedWhenBuilt(Case k) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Conditioned.of(k.oracle(), k.impossible()));
        assertTrue(e.getMessage().contains("probability zero"), e.getMessage());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("chains")
    void compatiblePinsSamplePossibleCompletions(Case k) {
        Conditioned c = Conditioned.of(k.oracle(), k.possible());
        int n = k.oracle().length(), q = k.oracle().alphabet();
        for (Strategy st : STRATEGIES) {
            for (int[] free : ArTesting.run(c, st, 11, 200).samples()) {
                int[] x = c.complete(free);
                for (int i = 0; i < n; i++) if (k.possible()[i] >= 0) assertEquals(k.possible()[i], x[i], "pin at " + i);
                if (k.law() != null) {
                    assertTrue(k.law()[ArTesting.index(x, q)] > 0, k + " x " + st + ": impossible sample " + Arrays.toString(x));
                } else {
                    // stay = 1 keeps the state; stay = 0 always moves.
                    boolean frozen = k.name().contains("stay=1");
                    for (int i = 0; i + 1 < n; i++) assertEquals(frozen, x[i] == x[i + 1], k + " x " + st + ": " + Arrays.toString(x));
                }
            }
        }
    }

    /** The pin check is one batch of queries, not a recursive parse: 100000 pins build at once. */
    @Test
    void manyPinsParseAndBuild() {
        int n = 100_001;
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < n - 1; i++) sb.append(i == 0 ? "" : ", ").append(i).append('=').append(i % 2);
        String spec = sb.toString();
        assertTrue(Conditioned.isPinList(spec));
        assertFalse(Conditioned.isPinList(spec + ",x"));
        assertFalse(Conditioned.isPinList(spec + ","));
        int[] given = Conditioned.parsePins(spec, n, 2);
        Conditioned c = Conditioned.of(MarkovChain.stay(n, 2, 0.5), given);
        assertEquals(1, c.length());
        // The same pins on a chain that never moves are impossible, and said so.
        assertThrows(IllegalArgumentException.class, () -> Conditioned.of(MarkovChain.stay(n, 2, 1.0), given));
    }
}
