package io.autospec.core;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Settings of the recursion and the trial batches [ceil((1+rho)^r), ceil((1+rho)^(r+1))). */
class SpeculativeSamplerSettingsTest {

    @Test
    void doublingBatches() {
        SpeculativeSampler s = SpeculativeSampler.create();
        int[] expected = {1, 2, 4, 8, 16, 32, 64};
        for (int r = 0; r < expected.length; r++) assertEquals(expected[r], s.batchStart(r));
    }

    /** For any rho the batch starts are non-decreasing from 1 and saturate at MAX_TRIALS: every trial index is covered once. */
    @Test
    void batchesCoverEveryTrialIndex() {
        for (double rho : new double[] {0.01, 0.1, 0.3, 1 / Math.log(4096), 1, 3, 100}) {
            SpeculativeSampler s = SpeculativeSampler.create().rho(rho);
            assertEquals(1, s.batchStart(0));
            int prev = 1;
            for (int r = 1; r < 100_000 && prev < SpeculativeSampler.MAX_TRIALS; r++) {
                int b = s.batchStart(r);
                assertTrue(b >= prev, "rho " + rho + " r " + r);
                prev = b;
            }
            assertEquals(SpeculativeSampler.MAX_TRIALS, s.batchStart(1_000_000), "rho " + rho + " saturates");
        }
    }

    @Test
    void settingsAreValidatedAndImmutable() {
        assertThrows(IllegalArgumentException.class, () -> SpeculativeSampler.create().rho(0));
        assertThrows(IllegalArgumentException.class, () -> SpeculativeSampler.create().rho(-1));
        assertThrows(IllegalArgumentException.class, () -> SpeculativeSampler.create().rho(Double.NaN));
        assertThrows(IllegalArgumentException.class, () -> SpeculativeSampler.create().rho(Double.POSITIVE_INFINITY));
        assertThrows(IllegalArgumentException.class, () -> SpeculativeSampler.create().maxSpeculationSpan(0));
        SpeculativeSampler base = SpeculativeSampler.create();
        SpeculativeSampler other = base.rho(0.5).earlyDecision(false).maxSpeculationSpan(8);
        assertEquals(1.0, base.rho());
        assertTrue(base.earlyDecision());
        assertEquals(Integer.MAX_VALUE, base.maxSpeculationSpan());
        assertEquals(0.5, other.rho());
        assertFalse(other.earlyDecision());
        assertEquals(8, other.maxSpeculationSpan());
        assertTrue(base.exact());
        assertFalse(base.variant(SpeculativeSampler.Variant.NO_FALLBACK).exact());
        assertFalse(base.variant(SpeculativeSampler.Variant.FIRST_FINISHED).exact());
        assertTrue(base.variant(SpeculativeSampler.Variant.FIRST_FINISHED).settings().containsValue("FIRST_FINISHED"));
    }
}
