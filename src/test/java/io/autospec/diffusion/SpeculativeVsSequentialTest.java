package io.autospec.diffusion;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.backend.CpuBackend;
import io.autospec.core.PlantedVariants;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.Strategy;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import io.autospec.testing.GoodnessOfFit;
import io.autospec.testing.WithCpuBackend;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Speculative sampling must have the law of sequential Euler-Maruyama on the same schedule. Each
 * replicate draws M samples with each strategy (independent seeds) and runs two-sample KS tests on
 * P fixed projections (in d &gt;= 2: the d coordinate axes and 3 random unit directions; in 1-D the
 * coordinate itself); the replicate's p-value is
 * min(1, P * min p) (Bonferroni). A case fails when 3 or more of 5 replicates reject at 0.01
 * ({@link GoodnessOfFit#standard}): false-failure rate at most 9.9e-6 per case.
 *
 * <p>Power: the planted variants must be rejected by the same check, on models where they are
 * biased (well-separated atoms, coarse steps).
 */
class SpeculativeVsSequentialTest extends WithCpuBackend {
    /** Three well-separated atoms in the plane, unequal weights. */
    static IsotropicMixture threeAtoms() {
        return IsotropicMixture.atoms(new double[][] {{-2, 0}, {2, 1}, {0, -2}}, new double[] {0.5, 0.3, 0.2});
    }

    /** Two atoms on the line at +-1.5, weights 0.7 / 0.3. */
    static IsotropicMixture twoAtoms() {
        return IsotropicMixture.atoms(new double[][] {{-1.5}, {1.5}}, new double[] {0.7, 0.3});
    }

    static Stream<Arguments> cases() {
        SpeculativeSampler spec = Autospec.speculative();
        return Stream.of(
                Arguments.of(IsotropicMixture.randomGmm(4, 2, 3), Schedule.geometric(64, 0.01), spec),
                Arguments.of(IsotropicMixture.randomGmm(3, 3, 5), Schedule.uniform(64, 0.02), spec.maxSpeculationSpan(4)),
                Arguments.of(threeAtoms(), Schedule.uniform(32, 0.05), spec),
                Arguments.of(threeAtoms(), Schedule.uniform(8, 0.1), spec),
                Arguments.of(twoAtoms(), Schedule.uniform(8, 0.1), spec.rho(3)),
                Arguments.of(twoAtoms(), Schedule.geometric(48, 0.01), spec.rho(0.5).earlyDecision(false)),
                Arguments.of(new BoxUniform(2, -1, 1), Schedule.geometric(32, 0.02), spec.rho(0.5).earlyDecision(false)));
    }

    static GoodnessOfFit.Outcome compare(Denoiser model, Schedule schedule, Strategy strategy, int m, long seedBase) {
        int d = model.dimension();
        double[][] dirs = DiffusionStats.directions(d, d == 1 ? 1 : d + 3, 42); // in 1-D one projection is all there is
        return GoodnessOfFit.standard(r -> {
            List<double[]> seq = Autospec.diffusion(model, schedule).strategy(Autospec.sequential())
                    .seed(seedBase + 2L * r).backend(backend).sample(m).samples();
            List<double[]> other = Autospec.diffusion(model, schedule).strategy(strategy)
                    .seed(seedBase + 2L * r + 1).backend(backend).sample(m).samples();
            return DiffusionStats.ksProjectionsPValue(seq, other, dirs);
        });
    }

    @ParameterizedTest(name = "{0} on {1} with {2}")
    @MethodSource("cases")
    void speculativeHasTheLawOfSequential(Denoiser model, Schedule schedule, Strategy strategy) {
        GoodnessOfFit.Outcome o = compare(model, schedule, strategy, 2000, 5000);
        System.out.println("KS speculative vs sequential, " + model.describe() + " on " + schedule + " with " + strategy + ": " + o);
        assertTrue(o.passed(), o::toString);
    }

    /** NO_FALLBACK samples min(mu, nu) of the whole path; with coarse steps between separated atoms that is far from mu. */
    @Test
    void noFallbackVariantIsRejected() {
        Strategy wrong = PlantedVariants.noFallback(Autospec.speculative());
        GoodnessOfFit.Outcome o = compare(threeAtoms(), Schedule.uniform(8, 0.1), wrong, 1000, 7000);
        System.out.println("KS power, planted NO_FALLBACK on three atoms, uniform(N=8, T=10): " + o);
        assertFalse(o.passed(), "the KS check did not detect the NO_FALLBACK variant: " + o);
    }

    /**
     * FIRST_FINISHED takes the accepted trial that finished first rather than the lowest index.
     * With rho = 1 (trial batches 1, 2, 4, ...) its bias is too small to see at these sample sizes
     * (measured: p-values 0.01-0.7 at M = 5000); with rho = 3 (batches of 4, 12, ...) more trials
     * race in each batch and the bias is plain.
     */
    @Test
    void firstFinishedVariantIsRejectedWithLargeTrialBatches() {
        Strategy wrong = PlantedVariants.firstFinished(Autospec.speculative().rho(3));
        GoodnessOfFit.Outcome o = compare(twoAtoms(), Schedule.uniform(8, 0.1), wrong, 2000, 9000);
        System.out.println("KS power, planted FIRST_FINISHED (rho=3) on two atoms, uniform(N=8, T=10): " + o);
        assertFalse(o.passed(), "the KS check did not detect the FIRST_FINISHED variant: " + o);
    }
}
