package io.autospec.ar;

/**
 * The deliberately wrong variants of the AR strategies, for the power checks of statistical tests
 * in other packages and modules (the library's public API cannot select them).
 */
public final class PlantedArVariants {
    private PlantedArVariants() {}

    /** Token windows that redraw a rejected token from its conditional instead of the residual. */
    public static TokenSampler noResidual(TokenSampler base) {
        return base.plantedNoResidual();
    }
}
