package io.autospec;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.models.MarkovChain;
import io.autospec.core.SpeculativeSampler;
import org.junit.jupiter.api.Test;

/** The memory estimate of the Java API: its terms follow the settings that bound them. */
class MemoryEstimateTest {

    private static long part(MemoryEstimate e, String prefix) {
        return e.parts().stream().filter(p -> p.what().startsWith(prefix)).mapToLong(MemoryEstimate.Part::bytes).sum();
    }

    /** The capacity bounds the round buffers (pieces of capacity + one request), not the speculation rows. */
    @Test
    void capacityBoundsTheRoundBuffers() {
        SpeculativeSampler s = Autospec.speculative();
        MemoryEstimate whole = MemoryEstimate.autoregressive(4096, 2, s, 1000, Integer.MAX_VALUE);
        MemoryEstimate pieces = MemoryEstimate.autoregressive(4096, 2, s, 1000, 10_000);
        assertTrue(part(whole, "round buffers") >= 2L * 1000 * 4096 * (16 + 16), whole.toString());
        assertTrue(part(pieces, "round buffers") <= 2L * (10_000 + 4096) * (16 + 16), pieces.toString());
        assertTrue(part(pieces, "speculation rows") == part(whole, "speculation rows"));
        assertTrue(part(MemoryEstimate.autoregressive(4096, 2, s.maxSpeculationSpan(64), 1000, 10_000), "speculation rows")
                < part(pieces, "speculation rows") / 32, "--max-span bounds the rows");
    }

    /** The trial budget bounds the trial term; samples scale the per-sample term. */
    @Test
    void budgetAndSamplesScaleTheirTerms() {
        SpeculativeSampler s = Autospec.speculative();
        long big = part(MemoryEstimate.autoregressive(32, 2, s.maxConcurrentTrialSteps(1 << 20), 20_000, Integer.MAX_VALUE), "fallback trials");
        long small = part(MemoryEstimate.autoregressive(32, 2, s.maxConcurrentTrialSteps(4096), 20_000, Integer.MAX_VALUE), "fallback trials");
        assertTrue(small < big / 2, small + " vs " + big);
        long m1 = part(MemoryEstimate.autoregressive(1000, 2, s, 1, Integer.MAX_VALUE), "per-sample state");
        long m10 = part(MemoryEstimate.autoregressive(1000, 2, s, 10, Integer.MAX_VALUE), "per-sample state");
        assertTrue(m10 == 10 * m1);
    }

    /** The Java API: a run's own estimate, and advice naming the largest term's lever when it does not fit. */
    @Test
    void runEstimateAndAdvice() {
        ArRun run = Autospec.autoregressive(MarkovChain.stay(64, 2, 0.9)).capacity(1000);
        MemoryEstimate e = run.estimateMemory(8);
        assertTrue(e.fits(Runtime.getRuntime().maxMemory()), e.toString());
        MemoryEstimate huge = MemoryEstimate.autoregressive(100_000_000, 2, Autospec.speculative(), 1, Integer.MAX_VALUE);
        assertFalse(huge.fits(1L << 32));
        String advice = huge.advice(1L << 32);
        assertTrue(advice.contains(huge.parts().get(0).lever()) && advice.contains("-Xmx"), advice);
        assertFalse(advice.contains("\n"), advice);
    }
}
