package io.autospec.ar;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every AR strategy samples the exact law: a chi-square goodness-of-fit test of the sampled cells of
 * [q]^n against the law enumerated from the model's definition ({@link ArZoo}), for six small models
 * x eleven strategy settings.
 *
 * <p>Each check is {@link GoodnessOfFit#standard}: 5 replicates, each one run of {@value #M} samples
 * drawn in the same rounds with its own fixed seed, tested at alpha = 0.01; the check fails when 3 or
 * more replicates reject. False-failure rate: 9.9e-6 per check (P[Binomial(5, 0.01) &gt;= 3]), so at
 * most 66 x 9.9e-6 = 6.5e-4 for the whole matrix. Seeds are fixed, so the outcome is deterministic;
 * the rate is how often an arbitrary seed would fail an exact sampler. The power of the same check is
 * shown by {@link PlantedVariantPowerTest}.
 */
class StrategyGoodnessOfFitTest {
    /** Samples per replicate (one run). */
    static final int M = 20_000;

    @TempDir
    static Path dir;

    static final String[] MODELS = {
        "product(n=5,q=3)", "markov(n=7,stay=0.95)", "potts(n=5,q=3,stay=0.7)", "curie-weiss(n=7,beta=1.2,h=0.1)",
        "parity(n=6,C=3)", "table(n=5,q=3,zeros)"};

    static final String[] STRATEGIES = {
        "sequential", "speculative(rho=1,early)", "speculative(rho=0.3,no-early)", "speculative(maxSpan=2)", "token(w=2)",
        "token(w=4)", "token(adaptive,min=1)", "jacobi", "auto(budget=2)", "auto(redraft=false,stall=1/1x1,adaptive,min=1)",
        "auto(stall=1/1x1,drafts=2x1)"};

    static ArZoo.Model model(String name, Path tmp) {
        return switch (name) {
            case "product(n=5,q=3)" -> ArZoo.product5x3();
            case "markov(n=7,stay=0.95)" -> ArZoo.stay(7, 2, 0.95);
            case "potts(n=5,q=3,stay=0.7)" -> ArZoo.stay(5, 3, 0.7);
            case "curie-weiss(n=7,beta=1.2,h=0.1)" -> ArZoo.curieWeiss(7, 1.2, 0.1);
            case "parity(n=6,C=3)" -> ArZoo.parity(6, 3, 1);
            case "table(n=5,q=3,zeros)" -> ArZoo.table(tmp, 5);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Strategy strategy(String name) {
        return switch (name) {
            case "sequential" -> Autospec.sequential();
            case "speculative(rho=1,early)" -> Autospec.speculative().rho(1.0).earlyDecision(true);
            case "speculative(rho=0.3,no-early)" -> Autospec.speculative().rho(0.3).earlyDecision(false);
            case "speculative(maxSpan=2)" -> Autospec.speculative().maxSpeculationSpan(2);
            case "token(w=2)" -> Autospec.token(2);
            case "token(w=4)" -> Autospec.token(4);
            // Windows of 1, 2, 4, ... after acceptances and max(1, 1.5 j) after rejections: sizes vary within a sample.
            case "token(adaptive,min=1)" -> TokenSampler.adaptive(1);
            case "jacobi" -> Autospec.jacobi();
            // Two sweeps, then adaptive token windows draw the rest: the handover is exercised on every sample.
            case "auto(budget=2)" -> Autospec.auto().budget(2);
            // The stall rule scaled to small n (a sweep that certifies one step with two or more
            // uncertified stalls, one stalled sweep hands over): hands over after any sweep s >= 2 that
            // certified one step, then adaptive windows from 1 draw the rest.
            case "auto(redraft=false,stall=1/1x1,adaptive,min=1)" ->
                    Autospec.auto().redraft(false).stallRule(1, 1).rest(TokenSampler.adaptive(1));
            // Re-drafting scaled to small n: any sweep s >= 2 that certifies one step with two or more
            // uncertified switches the guesses to drafts from two contexts with windows of one step or
            // more; the drafted guesses are then certified (or not) by the next sweeps.
            case "auto(stall=1/1x1,drafts=2x1)" -> Autospec.auto().stallRule(1, 1).drafts(2, 1);
            default -> throw new IllegalArgumentException(name);
        };
    }

    static Stream<Arguments> cases() {
        List<Arguments> out = new ArrayList<>();
        for (int m = 0; m < MODELS.length; m++) {
            for (int s = 0; s < STRATEGIES.length; s++) out.add(Arguments.of(MODELS[m], STRATEGIES[s]));
        }
        return out.stream();
    }

    /**
     * The standard check (false-failure rate 9.9e-6) of one strategy on one model; the replicates
     * use seeds that differ across models, strategies and replicates.
     */
    @ParameterizedTest(name = "{0} x {1}")
    @MethodSource("cases")
    void samplesTheExactLaw(String modelName, String strategyName) {
        int modelIndex = List.of(MODELS).indexOf(modelName), strategyIndex = List.of(STRATEGIES).indexOf(strategyName);
        ArZoo.Model model = model(modelName, dir);
        Strategy strategy = strategy(strategyName);
        assertTrue(strategy.exact());
        long baseSeed = 1_000_003L * (modelIndex + 1) + 1_009L * (strategyIndex + 1);
        GoodnessOfFit.Outcome outcome = GoodnessOfFit.standard(r -> {
            RunResult<int[]> run = ArTesting.run(model.oracle(), strategy, baseSeed + 7_919L * r, M);
            assertEquals(M, run.samples().size());
            return GoodnessOfFit.chiSquarePValue(model.law(), ArTesting.counts(run.samples(), model.q(), model.law().length));
        });
        assertTrue(outcome.passed(), model + " x " + strategy + ": " + outcome);
    }
}
