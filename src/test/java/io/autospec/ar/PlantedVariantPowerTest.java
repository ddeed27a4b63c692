package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertFalse;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.core.PlantedVariants;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Power of the goodness-of-fit check of {@link StrategyGoodnessOfFitTest}: the SAME check
 * ({@link GoodnessOfFit#standard}, 5 replicates of one run each at alpha = 0.01, fail on 3 or more
 * rejections; false-failure rate 9.9e-6 for an exact sampler) must reject each planted wrong variant
 * on a model where it is biased. Seeds are fixed, so these outcomes are deterministic. (The exact
 * recursion at rho = 3 draws the very same samples as at rho = 1, see {@link DeterminismTest}, and
 * rho = 1 passes the check in {@link StrategyGoodnessOfFitTest}; so the FIRST_FINISHED rejections
 * at rho = 3 are due to the planted rule, not to the setting.)
 *
 * <p>Measured biases (exact law vs long runs; chi-square divergence D = sum (p' - p)^2 / p, debiased):
 * <ul>
 *   <li>NO_FALLBACK samples min(mu, nu) at every node: TV 0.62 on markov(n=7, stay=0.95), 0.41 on
 *       potts(n=5, q=3, stay=0.7), 0.33 on curie-weiss(n=7, beta=1.2, h=0.1);</li>
 *   <li>token NO_RESIDUAL (redraw from p instead of max(0, p - q)): TV 0.04-0.12 on the same models;</li>
 *   <li>token adaptive PEEK_COINS (each window cut, after seeing its own acceptance coins, to the run
 *       they accept, so the position after it is a bonus draw from p): rejected with windows from 4;
 *       from 1 on markov(n=7) the first windows are too short to be biased and the check at 2e4
 *       samples did not reject (0 of 5 replicates);</li>
 *   <li>FIRST_FINISHED only differs from the exact rule when a fallback batch holds several trials
 *       that are accepted in different rounds. With rho = 3 (batches [1,4), [4,16), ...) it is clearly
 *       biased: TV ~0.04 on markov(n=7, stay=0.95), ~0.03 on curie-weiss (chi-square statistic 940
 *       and 760 on 83 and 127 degrees of freedom at 1e5 samples). With the default rho = 1 the first
 *       batch is the single trial 1, so the bias is small. From 10^6 samples (D debiased by
 *       (cells - 1)/M, standard error ~sqrt(2 cells)/M): D = 9.2e-4 (TV ~0.01) on curie-weiss,
 *       2.0e-4 on markov(n=6, stay=0.9), 4e-5 +- 1.6e-5 on markov(n=7, stay=0.95), and
 *       1.5e-5 +- 2.2e-5 (no detectable bias; the exact sampler gives 1.7e-5) on potts(n=5). At the
 *       suite's 2e4 samples per replicate the noncentrality M D is at most ~18 on 127 degrees of
 *       freedom, so the standard check would mostly pass; only the curie-weiss case is affordable,
 *       at 10^5 samples per replicate (below).</li>
 * </ul>
 */
class PlantedVariantPowerTest {
    static final int M = StrategyGoodnessOfFitTest.M;

    private static GoodnessOfFit.Outcome check(ArZoo.Model model, Strategy strategy, long seed, int m) {
        return GoodnessOfFit.standard(r -> {
            RunResult<int[]> run = ArTesting.run(model.oracle(), strategy, seed + 7_919L * r, m);
            return GoodnessOfFit.chiSquarePValue(model.law(), ArTesting.counts(run.samples(), model.q(), model.law().length));
        });
    }

    static Stream<Arguments> plantedVariants() {
        return Stream.of(
                Arguments.of("markov(n=7,stay=0.95)", "NO_FALLBACK"),
                Arguments.of("potts(n=5,q=3,stay=0.7)", "NO_FALLBACK"),
                Arguments.of("curie-weiss(n=7,beta=1.2,h=0.1)", "NO_FALLBACK"),
                Arguments.of("markov(n=7,stay=0.95)", "FIRST_FINISHED(rho=3)"),
                Arguments.of("curie-weiss(n=7,beta=1.2,h=0.1)", "FIRST_FINISHED(rho=3)"),
                Arguments.of("markov(n=7,stay=0.95)", "token(w=2,NO_RESIDUAL)"),
                Arguments.of("markov(n=7,stay=0.95)", "token(w=4,NO_RESIDUAL)"),
                Arguments.of("potts(n=5,q=3,stay=0.7)", "token(w=4,NO_RESIDUAL)"),
                Arguments.of("markov(n=7,stay=0.95)", "token(adaptive,min=4,PEEK_COINS)"),
                Arguments.of("potts(n=5,q=3,stay=0.7)", "token(adaptive,min=4,PEEK_COINS)"));
    }

    static Strategy planted(String name) {
        return switch (name) {
            case "NO_FALLBACK" -> PlantedVariants.noFallback(Autospec.speculative());
            case "FIRST_FINISHED(rho=3)" -> PlantedVariants.firstFinished(Autospec.speculative().rho(3));
            case "token(w=2,NO_RESIDUAL)" -> Autospec.token(2).plantedNoResidual();
            case "token(w=4,NO_RESIDUAL)" -> Autospec.token(4).plantedNoResidual();
            case "token(adaptive,min=4,PEEK_COINS)" -> TokenSampler.adaptive(4).plantedPeekCoins();
            default -> throw new IllegalArgumentException(name);
        };
    }

    /**
     * The standard check, at the same {@value StrategyGoodnessOfFitTest#M} samples per replicate as
     * the exactness matrix, rejects the planted variant.
     */
    @ParameterizedTest(name = "{1} on {0}")
    @MethodSource("plantedVariants")
    void standardCheckRejectsPlantedVariant(String modelName, String variant) {
        ArZoo.Model model = StrategyGoodnessOfFitTest.model(modelName, null);
        Strategy strategy = planted(variant);
        assertFalse(strategy.exact(), "a planted variant must not claim exactness");
        GoodnessOfFit.Outcome outcome = check(model, strategy, 77_000L + variant.hashCode() % 1000, M);
        assertFalse(outcome.passed(), variant + " on " + model + " was not rejected: " + outcome);
    }

    /**
     * FIRST_FINISHED at the default rho = 1 on the model where its bias is largest
     * (curie-weiss n=7, beta=1.2, h=0.1; chi-square divergence 9.2e-4, so a noncentrality of ~92 on
     * 127 degrees of freedom at 10^5 samples: each replicate rejects with probability ~0.98). Same
     * standard check, 10^5 samples per replicate.
     */
    @Test
    void firstFinishedAtDefaultRhoIsRejectedWithMoreSamples() {
        ArZoo.Model cw = ArZoo.curieWeiss(7, 1.2, 0.1);
        GoodnessOfFit.Outcome outcome = check(cw, PlantedVariants.firstFinished(Autospec.speculative()), 91_000L, 100_000);
        assertFalse(outcome.passed(), "FIRST_FINISHED(rho=1) on " + cw + " was not rejected: " + outcome);
    }
}
