package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.backend.CpuBackend;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Same seed, same samples: randomness is addressed by (seed, sample, node path, purpose), so the
 * samples do not depend on the launch capacity, the CPU thread count, early decisions, or (for the
 * recursion) the trial batch growth rho. Rounds and queries do not depend on capacity or threads;
 * at unlimited capacity every round is one launch, at capacity 1 every query is one.
 */
class DeterminismTest {
    static final int M = 300;
    static final long SEED = 20_251_107L;

    static Stream<Arguments> models() {
        return Stream.of(
                Arguments.of("markov(n=24,stay=0.9)", MarkovChain.stay(24, 2, 0.9)),
                Arguments.of("potts(n=17,q=3,stay=0.7)", MarkovChain.stay(17, 3, 0.7)),
                Arguments.of("curie-weiss(n=20,beta=1.2,h=0.1)", new CurieWeiss(20, 1.2, 0.1)),
                Arguments.of("parity(n=20,C=6)", ParityOracle.random(20, 6, 3)));
    }

    private static RunResult<int[]> run(ConditionalOracle oracle, Strategy s, int capacity, int threads, long seed) {
        try (CpuBackend backend = new CpuBackend(threads)) {
            return Autospec.autoregressive(oracle).strategy(s).seed(seed).capacity(capacity).backend(backend).sample(M);
        }
    }

    private static void assertSameSamples(RunResult<int[]> a, RunResult<int[]> b, String what) {
        assertEquals(a.samples().size(), b.samples().size());
        for (int i = 0; i < a.samples().size(); i++) assertArrayEquals(a.samples().get(i), b.samples().get(i), what + ": sample " + i);
    }

    /** Same samples, rounds and queries across capacities {1, 7, unlimited} x threads {1, 2, 4}. */
    private static void invariantUnderCapacityAndThreads(ConditionalOracle oracle, Strategy s) {
        RunResult<int[]> ref = run(oracle, s, Integer.MAX_VALUE, 1, SEED);
        RunMetrics rm = ref.metrics();
        assertEquals(rm.rounds(), rm.launches(), "unlimited capacity: one launch per round");
        int[][] configs = {{Integer.MAX_VALUE, 2}, {Integer.MAX_VALUE, 4}, {7, 1}, {7, 4}, {1, 1}, {1, 2}};
        for (int[] c : configs) {
            RunResult<int[]> r = run(oracle, s, c[0], c[1], SEED);
            String what = s + " capacity " + c[0] + " threads " + c[1];
            assertSameSamples(ref, r, what);
            RunMetrics m = r.metrics();
            assertEquals(rm.rounds(), m.rounds(), what + ": rounds");
            assertEquals(rm.queries(), m.queries(), what + ": queries");
            if (c[0] == Integer.MAX_VALUE) assertEquals(m.rounds(), m.launches(), what);
            if (c[0] == 1) assertEquals(m.queries(), m.launches(), what + ": one launch per query");
            if (c[0] == 7) assertTrue(m.launches() > m.rounds() && m.launches() >= (m.queries() + 6) / 7, what + ": launches " + m.launches());
        }
        // A different seed gives different samples (the comparison above is not vacuous).
        RunResult<int[]> other = run(oracle, s, Integer.MAX_VALUE, 1, SEED + 1);
        int differ = 0;
        for (int i = 0; i < M; i++) if (!java.util.Arrays.equals(ref.samples().get(i), other.samples().get(i))) differ++;
        assertTrue(differ > M / 4, s + ": only " + differ + " samples differ under another seed");
    }

    @ParameterizedTest(name = "sequential on {0}")
    @MethodSource("models")
    void sequential(String name, ConditionalOracle oracle) {
        invariantUnderCapacityAndThreads(oracle, Autospec.sequential());
    }

    @ParameterizedTest(name = "token on {0}")
    @MethodSource("models")
    void token(String name, ConditionalOracle oracle) {
        invariantUnderCapacityAndThreads(oracle, Autospec.token(3));
        invariantUnderCapacityAndThreads(oracle, Autospec.token(8));
    }

    /**
     * The recursion: invariant under capacity and threads, and also (samples only) under early
     * decision on/off, rho in {0.3, 1, 3} and the memory bound on trial batches: the answer of a fallback is its lowest accepted trial
     * index and trial j's randomness is addressed by j, whatever the batching. Also a speculation cap.
     */
    @ParameterizedTest(name = "speculative on {0}")
    @MethodSource("models")
    void speculative(String name, ConditionalOracle oracle) {
        io.autospec.core.SpeculativeSampler base = Autospec.speculative();
        invariantUnderCapacityAndThreads(oracle, base);
        invariantUnderCapacityAndThreads(oracle, base.earlyDecision(false).rho(0.3));
        invariantUnderCapacityAndThreads(oracle, base.maxSpeculationSpan(4));
        RunResult<int[]> ref = run(oracle, base, Integer.MAX_VALUE, 1, SEED);
        for (Strategy s : List.of(base.earlyDecision(false), base.rho(0.3), base.rho(3), base.rho(0.3).earlyDecision(false),
                base.rho(3).earlyDecision(false), base.maxConcurrentTrialSteps(1), base.rho(3).maxConcurrentTrialSteps(5))) {
            RunResult<int[]> r = run(oracle, s, 7, 2, SEED);
            assertSameSamples(ref, r, s.toString());
        }
        assertTrue(ref.metrics().totalSpeculations() > ref.metrics().totalAccepted(), name + ": no fallback was exercised");
    }
}
