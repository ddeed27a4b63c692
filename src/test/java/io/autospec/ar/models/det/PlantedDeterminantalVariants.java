package io.autospec.ar.models.det;

/**
 * The deliberately wrong variants of the determinantal oracles, for the power checks and device
 * contracts in other packages and modules (the library's public API cannot select them; the same
 * mechanism as {@code PlantedArVariants} and {@code PlantedVariants}).
 */
public final class PlantedDeterminantalVariants {
    private PlantedDeterminantalVariants() {}

    /** Conditionals that condition on the included items only, as if the excluded ones were never pinned. */
    public static DeterminantalOracle ignoringExclusions(DeterminantalOracle base) {
        return base.plantedIgnoringExclusions();
    }
}
