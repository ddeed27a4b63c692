package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.ar.models.MarkovChain;
import io.autospec.backend.CpuBackend;
import io.autospec.core.OracleException;
import io.autospec.core.Strategy;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * A user oracle that breaks the SPI (NaN, infinity, a negative mass, an unnormalised vector, zero
 * mass where the model has mass) makes the run fail with an {@link OracleException} whose message
 * names the offending query: sample, position and number of pinned values.
 */
class BadOracleTest {
    static final int N = 6, M = 10, SAMPLE = 3;

    /** Which queries to corrupt: (sample, position, k, rank of the position). */
    interface Poison {
        boolean test(int sample, int position, int k, int rank);
    }

    /** How to corrupt a row of q probabilities. */
    interface Fault {
        void apply(double[] out, int base, int q);
    }

    /** Wraps a real model and corrupts the rows of the poisoned queries; records them. */
    static final class Faulty extends ForwardingConditionalOracle {
        final Poison poison;
        final Fault fault;
        final List<String> poisoned = Collections.synchronizedList(new ArrayList<>());

        Faulty(ConditionalOracle inner, Poison poison, Fault fault) {
            super(inner);
            this.poison = poison;
            this.fault = fault;
        }

        @Override
        public String describe() {
            return "faulty";
        }

        @Override
        public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
            delegate.conditionals(batch, from, to, out);
            int q = alphabet();
            for (int j = from; j < to; j++) {
                Order o = batch.context(j).order();
                int pos = batch.position(j), k = batch.pinned(j);
                if (poison.test(o.sample(), pos, k, o.rank(pos))) {
                    fault.apply(out, j * q, q);
                    poisoned.add(triple(o.sample(), pos, k));
                }
            }
        }
    }

    static String triple(int sample, int position, int k) {
        return "(sample " + sample + ", position " + position + ", " + k + " pinned)";
    }

    private static OracleException fails(Faulty oracle, Strategy s) {
        try (CpuBackend backend = new CpuBackend(1)) {
            return assertThrows(OracleException.class,
                    () -> Autospec.autoregressive(oracle).strategy(s).seed(5).capacity(7).backend(backend).sample(M));
        }
    }

    private static Faulty faulty(Poison p, Fault f) {
        return new Faulty(MarkovChain.stay(N, 2, 0.8), p, f);
    }

    /** Sequential: the query of sample 3 at step 2 is the only poisoned one; the message names it exactly. */
    private static void namesTheSequentialQuery(Fault fault, String... expectedFragments) {
        Faulty oracle = faulty((s, p, k, r) -> s == SAMPLE && k == 2, fault);
        OracleException e = fails(oracle, Autospec.sequential());
        assertEquals(1, oracle.poisoned.size(), "one query poisoned: " + oracle.poisoned);
        String msg = e.getMessage();
        assertTrue(msg.contains("oracle faulty"), msg);
        assertTrue(msg.contains("query #") && msg.contains(oracle.poisoned.get(0)), "expected " + oracle.poisoned.get(0) + " in: " + msg);
        for (String f : expectedFragments) assertTrue(msg.contains(f), "expected '" + f + "' in: " + msg);
    }

    @Test
    void nanIsReportedWithItsQuery() {
        namesTheSequentialQuery((out, b, q) -> out[b + 1] = Double.NaN, "returned NaN for value 1");
    }

    @Test
    void infinityIsReportedWithItsQuery() {
        namesTheSequentialQuery((out, b, q) -> out[b] = Double.POSITIVE_INFINITY, "returned Infinity for value 0");
    }

    @Test
    void negativeMassIsReportedWithItsQuery() {
        namesTheSequentialQuery((out, b, q) -> {
            out[b] = -0.25;
            out[b + 1] = 1.25;
        }, "returned -0.25 for value 0");
    }

    @Test
    void unnormalisedVectorIsReportedWithItsQuery() {
        Faulty oracle = faulty((s, p, k, r) -> s == SAMPLE && k == 2, (out, b, q) -> {
            out[b] *= 0.5;
            out[b + 1] *= 0.5;
        });
        String msg = fails(oracle, Autospec.sequential()).getMessage();
        assertTrue(msg.contains(oracle.poisoned.get(0)), msg);
        Matcher m = Pattern.compile("unnormalised vector \\(sum ([^)]+)\\)").matcher(msg);
        assertTrue(m.find(), msg);
        assertEquals(0.5, Double.parseDouble(m.group(1)), 1e-12, msg);
    }

    /** Slightly off (beyond ConditionalBatch.NORMALISATION_TOLERANCE = 1e-6) is still caught; within it, rows are renormalised silently. */
    @Test
    void normalisationTolerance() {
        namesTheSequentialQuery((out, b, q) -> out[b] += 1e-5, "unnormalised vector");
        Faulty within = faulty((s, p, k, r) -> k == 2, (out, b, q) -> out[b] += 1e-8);
        try (CpuBackend backend = new CpuBackend(1)) {
            assertEquals(M, Autospec.autoregressive(within).strategy(Autospec.sequential()).backend(backend).sample(M).samples().size());
        }
    }

    /** The recursion and the token sampler report NaN with the query as well (first bad query of the round). */
    @Test
    void nanUnderEveryStrategy() {
        for (Strategy s : List.of(Autospec.speculative(), Autospec.speculative().maxSpeculationSpan(2), Autospec.token(3))) {
            Faulty oracle = faulty((smp, p, k, r) -> smp == SAMPLE && k == 0, (out, b, q) -> out[b] = Double.NaN);
            OracleException e = fails(oracle, s);
            String msg = e.getMessage();
            assertTrue(msg.contains("returned NaN for value 0"), s + ": " + msg);
            assertTrue(oracle.poisoned.stream().anyMatch(msg::contains), s + ": message names none of " + oracle.poisoned + ": " + msg);
            assertTrue(msg.contains("(sample 3, position ") && msg.contains(", 0 pinned)"), msg);
        }
    }

    /** A reachable context declared impossible (zero row) at a step that must be drawn. */
    @Test
    void zeroRowInReachedContextIsReported() {
        Faulty oracle = faulty((s, p, k, r) -> s == SAMPLE && k == 2, (out, b, q) -> java.util.Arrays.fill(out, b, b + q, 0.0));
        OracleException e = fails(oracle, Autospec.sequential());
        assertEquals(1, oracle.poisoned.size());
        // "(sample 3, position p, 2 pinned)" appears as "position p (sample 3, 2 pinned)" in this message
        String t = oracle.poisoned.get(0);
        int pos = Integer.parseInt(t.replaceAll(".*position (\\d+),.*", "$1"));
        String msg = e.getMessage();
        assertTrue(msg.contains("zero mass to every value of position " + pos + " (sample 3, 2 pinned)"), msg);
    }

    /**
     * The chain of conditionals along a draft calls a context impossible though every earlier value
     * had positive mass (the recursion's density check): the message names that query.
     */
    @Test
    void impossibleContextInDensityCheckIsReported() {
        // Step 1's conditional (k = 1, rank(pos) = 1) of sample 3 is a zero row; step 1 is only ever
        // asked in the root's density check of speculative sampling (its first draw is at k = 0).
        Faulty oracle = faulty((s, p, k, r) -> s == SAMPLE && k == 1 && r == 1, (out, b, q) -> java.util.Arrays.fill(out, b, b + q, 0.0));
        OracleException e = fails(oracle, Autospec.speculative());
        String msg = e.getMessage();
        assertTrue(msg.contains("says the context of query #") && msg.contains(oracle.poisoned.get(0)) && msg.contains("probability zero"),
                "poisoned " + oracle.poisoned + ": " + msg);
    }

    /** Token sampling: a zero conditional row for a drafted token leaves no residual mass. */
    @Test
    void tokenRejectionWithoutResidualIsReported() {
        Faulty oracle = faulty((s, p, k, r) -> s == SAMPLE && k == 1 && r == 1, (out, b, q) -> java.util.Arrays.fill(out, b, b + q, 0.0));
        OracleException e = fails(oracle, Autospec.token(3));
        String t = oracle.poisoned.get(0);
        int pos = Integer.parseInt(t.replaceAll(".*position (\\d+),.*", "$1"));
        String msg = e.getMessage();
        assertTrue(msg.contains("token rejected at position " + pos + " (sample 3, 1 pinned)") && msg.contains("no mass"), msg);
    }

    /**
     * Zero mass on a value that was drawn: the look-ahead marginals (k &lt; rank(pos)) put all mass on
     * 0 while the true conditionals give 1 positive mass. The speculation's density at a fallback
     * trial that drew a 1 is then zero: reported with the speculation's (sample, position, k).
     */
    @Test
    void marginalInconsistentWithConditionalsIsReported() {
        Faulty oracle = faulty((s, p, k, r) -> r > k, (out, b, q) -> {
            out[b] = 1;
            out[b + 1] = 0;
        });
        OracleException e = fails(oracle, Autospec.speculative());
        String msg = e.getMessage();
        Matcher m = Pattern.compile("gave zero mass to value 1 of position (\\d+) \\(sample (\\d+), (\\d+) pinned\\)").matcher(msg);
        assertTrue(m.find(), msg);
        String named = triple(Integer.parseInt(m.group(2)), Integer.parseInt(m.group(1)), Integer.parseInt(m.group(3)));
        assertTrue(oracle.poisoned.contains(named), named + " is not a poisoned query: " + msg);
        assertTrue(msg.contains("a value that was drawn"), msg);
    }
}
