package io.autospec.core;

/**
 * The deliberately wrong variants of the speculative recursion, for the power checks of the
 * statistical tests in other packages. They live in the test sources: the library's public API
 * cannot select them ({@code SpeculativeSampler.variant} is package-private).
 */
public final class PlantedVariants {
    private PlantedVariants() {}

    /** Accepts with min(1, mu/nu) and redraws on rejection: samples min(mu, nu), not mu. */
    public static SpeculativeSampler noFallback(SpeculativeSampler base) {
        return base.variant(SpeculativeSampler.Variant.NO_FALLBACK);
    }

    /** Takes the accepted trial that finished first instead of the one with the lowest index. */
    public static SpeculativeSampler firstFinished(SpeculativeSampler base) {
        return base.variant(SpeculativeSampler.Variant.FIRST_FINISHED);
    }
}
