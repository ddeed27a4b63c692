package io.autospec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.ForwardingConditionalOracle;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ProductOracle;
import io.autospec.backend.CpuBackend;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * Metrics of AR runs are consistent with what the oracle actually saw (a counting wrapper) and with
 * the structure of each strategy.
 */
class ArRunMetricsTest {

    /** Counts queries and calls (one call per launch on a single-threaded backend). */
    static final class Counting extends ForwardingConditionalOracle {
        final AtomicLong queries = new AtomicLong(), calls = new AtomicLong();

        Counting(ConditionalOracle inner) {
            super(inner);
        }

        @Override
        public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
            calls.incrementAndGet();
            queries.addAndGet(to - from);
            delegate.conditionals(batch, from, to, out);
        }
    }

    private static RunResult<int[]> run(Counting oracle, Strategy s, int m, int capacity, long[] listenerRounds) {
        try (CpuBackend backend = new CpuBackend(1)) {
            RunResult<int[]> r = Autospec.autoregressive(oracle).strategy(s).seed(17).capacity(capacity).backend(backend)
                    .listener(metrics -> listenerRounds[0]++).sample(m);
            RunMetrics mt = r.metrics();
            assertEquals(m, mt.samples());
            assertEquals(m, r.samples().size());
            assertEquals(oracle.queries.get(), mt.queries(), s + ": queries seen by the oracle");
            assertEquals(oracle.calls.get(), mt.launches(), s + ": launches (one oracle call each, one thread)");
            assertEquals(mt.rounds(), listenerRounds[0], s + ": listener called once per round");
            assertEquals(mt.rounds(), Arrays.stream(mt.roundSizeHistogram()).sum(), s + ": histogram counts every round");
            assertTrue(mt.maxRoundQueries() <= mt.queries() && mt.maxRoundQueries() * mt.rounds() >= mt.queries());
            if (capacity == Integer.MAX_VALUE) assertEquals(mt.rounds(), mt.launches());
            else assertTrue(mt.launches() >= (mt.queries() + capacity - 1) / capacity && mt.launches() >= mt.rounds());
            return r;
        }
    }

    /** Sequential: exactly n rounds and n*M queries (one per position per sample), no speculation. */
    @Test
    void sequentialUsesNRoundsAndNTimesMQueries() {
        int n = 9, m = 250;
        for (int capacity : new int[] {Integer.MAX_VALUE, 64}) {
            Counting oracle = new Counting(MarkovChain.stay(n, 3, 0.8));
            RunMetrics mt = run(oracle, Autospec.sequential(), m, capacity, new long[1]).metrics();
            assertEquals(n, mt.rounds());
            assertEquals((long) n * m, mt.queries());
            assertEquals(m, mt.maxRoundQueries());
            assertEquals(0, mt.totalSpeculations());
            if (capacity == 64) assertEquals(n * ((m + 63) / 64), mt.launches());
        }
    }

    /**
     * Token windows of w: every window costs 2 rounds and pins at least 2 positions (the first draft
     * token is exact and a rejection or a full acceptance adds one more), except a lone last position
     * (1 round); and it pins at most w + 1. So 2 ceil(n / (w+1)) - 1 &lt;= rounds &lt;= n.
     */
    @Test
    void tokenRoundsAreBounded() {
        int m = 200;
        for (int n : new int[] {1, 2, 7, 16}) {
            for (int w : new int[] {1, 2, 4, 32}) {
                Counting oracle = new Counting(MarkovChain.stay(n, 2, 0.9));
                RunMetrics mt = run(oracle, Autospec.token(w), m, Integer.MAX_VALUE, new long[1]).metrics();
                long lower = Math.max(1, 2L * ((n + w) / (w + 1)) - 1);
                assertTrue(mt.rounds() <= n && mt.rounds() >= lower, "n=" + n + " w=" + w + ": rounds " + mt.rounds());
                // queries per window: w draft marginals + (w - 1 + bonus) conditionals <= 2w
                assertTrue(mt.queries() <= (long) m * 2 * Math.min(w, n) * mt.rounds(), "queries " + mt.queries());
                assertTrue(mt.queries() >= (long) m * n);
            }
        }
    }

    /** The product model: every speculation is accepted (mu_S = nu_S): 2 rounds, M(2n-1) queries. */
    @Test
    void speculativeOnProductAcceptsEverything() {
        int n = 11, m = 100;
        Counting oracle = new Counting(ProductOracle.random(n, 3, 4));
        RunMetrics mt = run(oracle, Autospec.speculative(), m, Integer.MAX_VALUE, new long[1]).metrics();
        assertEquals(2, mt.rounds());
        assertEquals((long) m * (2 * n - 1), mt.queries());
        assertEquals(m, mt.speculations(0));
        assertEquals(m, mt.accepted(0));
        assertEquals(0, mt.fallbacks(0));
        assertEquals(1, mt.levels());
    }

    /**
     * Per-depth consistency of the recursion: accepted &lt;= speculations; every rejected speculation
     * starts one fallback (exact variant); a fallback decides on at most one trial (exactly one at the
     * root, or everywhere without early decision, when no trial is ever cancelled); trials started
     * &gt;= decided; the root speculates once per sample over the whole span, and depth d only tests
     * spans of at most ceil(n / 2^d) steps (and at most maxSpeculationSpan).
     */
    @Test
    void speculativePerDepthCountsAreConsistent() {
        int m = 300;
        ConditionalOracle[] models = {MarkovChain.stay(32, 2, 0.9), new CurieWeiss(20, 1.2, 0.1), MarkovChain.stay(13, 3, 0.7)};
        for (ConditionalOracle model : models) {
            int n = model.length();
            for (SpeculativeSampler s : new SpeculativeSampler[] {
                Autospec.speculative(), Autospec.speculative().rho(0.3).earlyDecision(false), Autospec.speculative().maxSpeculationSpan(4),
                Autospec.speculative().rho(3)}) {
                Counting oracle = new Counting(model);
                RunMetrics mt = run(oracle, s, m, 1000, new long[1]).metrics();
                String what = model.describe() + " " + s;
                assertTrue(mt.queries() > 0 && mt.rounds() > 2, what);
                assertTrue(mt.totalSpeculations() > mt.totalAccepted(), what + ": no rejection exercised");
                long fallbacks = 0;
                for (int d = 0; d < mt.levels(); d++) {
                    long spec = mt.speculations(d), acc = mt.accepted(d);
                    assertTrue(acc <= spec, what + " depth " + d);
                    assertEquals(spec - acc, mt.fallbacks(d), what + ": one fallback per rejection at depth " + d);
                    // A fallback decides on exactly one trial unless it ran inside a trial that an early
                    // decision cancelled; the root's fallbacks (depth 0) always decide, and without early
                    // decision nothing is cancelled, so every fallback decides.
                    if (d == 0 || !s.earlyDecision()) {
                        assertEquals(mt.fallbacks(d), mt.trialsAccepted(d), what + ": every fallback decides, depth " + d);
                    } else {
                        assertTrue(mt.trialsAccepted(d) <= mt.fallbacks(d), what + ": depth " + d);
                    }
                    assertTrue(mt.trialsStarted(d) >= mt.trialsAccepted(d), what);
                    long bound = Math.min((n + (1L << d) - 1) >> d, s.maxSpeculationSpan());
                    if (spec > 0) assertTrue(mt.maxSpan(d) <= bound && mt.minSpan(d) >= 2, what + " depth " + d + " spans " + mt.minSpan(d) + ".." + mt.maxSpan(d));
                    fallbacks += mt.fallbacks(d);
                }
                assertTrue(fallbacks > 0, what);
                assertEquals(mt.totalTrials(), java.util.stream.IntStream.range(0, mt.levels()).mapToLong(mt::trialsStarted).sum());
                if (s.maxSpeculationSpan() >= n) {
                    assertEquals(m, mt.speculations(0), what + ": one root speculation per sample");
                    assertEquals(n, mt.maxSpan(0));
                    assertEquals(n, mt.minSpan(0));
                } else {
                    assertEquals(0, mt.speculations(0), what + ": spans above the cap go straight to their halves");
                }
            }
        }
    }

    /** Early decision saves rounds (same samples, see DeterminismTest) and never costs more. */
    @Test
    void earlyDecisionNeverCostsMoreRounds() {
        ConditionalOracle model = MarkovChain.stay(64, 2, 0.9);
        long[] rounds = new long[2];
        for (int i = 0; i < 2; i++) {
            Counting oracle = new Counting(model);
            rounds[i] = run(oracle, Autospec.speculative().rho(3).earlyDecision(i == 0), 100, Integer.MAX_VALUE, new long[1]).metrics().rounds();
        }
        assertTrue(rounds[0] <= rounds[1], "early " + rounds[0] + " vs waiting " + rounds[1]);
    }
}
