package io.autospec.diffusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.core.PlantedVariants;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.Strategy;
import io.autospec.diffusion.models.IsotropicMixture;
import io.autospec.testing.GoodnessOfFit;
import io.autospec.testing.WithCpuBackend;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * For a Gaussian target N(m, s^2 I) the denoiser is affine, so the discretised chain is Gaussian
 * with per-coordinate mean and variance given by a closed-form recursion
 * ({@link DiffusionStats#gaussianChainMoments}). Each case draws 5 independent runs (replicates) of
 * M samples; a replicate's p-value is the Bonferroni combination of a z-test of each coordinate's
 * mean and a chi-square test of each coordinate's variance; the case fails when 3 or more of the 5
 * replicates reject at alpha = 0.01 ({@link GoodnessOfFit#standard}): false-failure rate at most
 * 9.9e-6 per case (Bonferroni makes it conservative), 1.1e-4 for the whole class.
 */
class GaussianClosedFormTest extends WithCpuBackend {
    static Stream<Arguments> cases() {
        SpeculativeSampler spec = Autospec.speculative();
        return Stream.of(
                Arguments.of("sequential", Autospec.sequential(), Schedule.uniform(64, 0.01), 3, 2400),
                Arguments.of("sequential", Autospec.sequential(), Schedule.geometric(128, 0.01), 1, 2400),
                Arguments.of("speculative", spec, Schedule.uniform(64, 0.01), 2, 2000),
                Arguments.of("speculative", spec, Schedule.geometric(64, 0.01), 4, 2000),
                Arguments.of("speculative", spec, Schedule.geometric(256, 0.001), 1, 1000),
                Arguments.of("speculative rho=0.5, no early decision", spec.rho(0.5).earlyDecision(false),
                        Schedule.geometric(32, 0.05), 1, 2000),
                Arguments.of("speculative rho=0.5, no early decision", spec.rho(0.5).earlyDecision(false),
                        Schedule.uniform(16, 0.1), 3, 2000),
                Arguments.of("speculative maxSpeculationSpan=8", spec.maxSpeculationSpan(8), Schedule.uniform(128, 0.02), 3, 2000),
                Arguments.of("speculative maxSpeculationSpan=2", spec.maxSpeculationSpan(2), Schedule.geometric(64, 0.01), 2, 2000));
    }

    /** A target with a non-trivial mean per coordinate and variance 0.5. */
    static double[] mean(int d) {
        double[] m = new double[d];
        for (int c = 0; c < d; c++) m[c] = 1.5 - 0.75 * c;
        return m;
    }

    @ParameterizedTest(name = "{0} on {2}, d={3}, M={4}")
    @MethodSource("cases")
    void meanAndVarianceMatchTheDiscretisedChain(String label, Strategy strategy, Schedule schedule, int d, int m) {
        double s2 = 0.5;
        double[] mu = mean(d);
        double[] moments = DiffusionStats.gaussianChainMoments(schedule, mu, s2);
        IsotropicMixture target = IsotropicMixture.gaussian(mu, s2);
        GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> DiffusionStats.gaussianMomentsPValue(
                Autospec.diffusion(target, schedule).strategy(strategy).seed(1000 + r).backend(backend).sample(m).samples(),
                moments));
        System.out.println("Gaussian closed form, " + label + " on " + schedule + ", d=" + d + ", M=" + m
                + ": expected mean " + Arrays.toString(Arrays.copyOf(moments, d)) + ", variance " + moments[d] + "; " + o);
        assertTrue(o.passed(), o::toString);
    }

    /** The recursion itself, against the exact formula for the continuous process with one step. */
    @Test
    void chainMomentsOfOneStepAreExact() {
        // One step from t=0: X_T = f(0, 0) T + N(0, T), f(0, .) = m, so X_T / T ~ N(m, 1 / T).
        double[] mom = DiffusionStats.gaussianChainMoments(Schedule.uniform(1, 0.25), new double[] {2.0, -1.0}, 0.3);
        assertEquals(2.0, mom[0], 1e-15);
        assertEquals(-1.0, mom[1], 1e-15);
        assertEquals(0.25, mom[2], 1e-15);
        // Fine uniform steps approach the continuous law mu * N(0, delta): mean m, variance s2 + delta.
        double[] fine = DiffusionStats.gaussianChainMoments(Schedule.uniform(200_000, 0.01), new double[] {1.0}, 0.5);
        assertEquals(1.0, fine[0], 1e-3);
        assertEquals(0.5 + 0.01, fine[1], 1e-3);
    }

    /**
     * Power: the planted NO_FALLBACK variant (samples min(mu, nu) instead of mu on the whole path)
     * must fail the same moment check on a coarse schedule where speculation is poor.
     */
    @Test
    void noFallbackVariantIsRejected() {
        double s2 = 0.5;
        double[] mu = {1.0};
        Schedule schedule = Schedule.uniform(8, 0.1);
        double[] moments = DiffusionStats.gaussianChainMoments(schedule, mu, s2);
        IsotropicMixture target = IsotropicMixture.gaussian(mu, s2);
        Strategy wrong = PlantedVariants.noFallback(Autospec.speculative());
        GoodnessOfFit.Outcome o = GoodnessOfFit.standard(r -> DiffusionStats.gaussianMomentsPValue(
                Autospec.diffusion(target, schedule).strategy(wrong).seed(2000 + r).backend(backend).sample(1000).samples(),
                moments));
        System.out.println("Gaussian closed form, planted NO_FALLBACK on " + schedule + ": " + o);
        assertFalse(o.passed(), "the moment check did not detect the NO_FALLBACK variant: " + o);
    }
}
