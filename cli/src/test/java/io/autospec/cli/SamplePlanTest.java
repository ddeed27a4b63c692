package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.bench.StrategySpec;
import io.autospec.core.Strategy;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@link SampleCommand#plan}: the options as data for another front end (the Spark module). Its strategy
 * text parses to the strategy that {@code sample} itself builds from the same options, and its checks
 * are {@code sample}'s.
 */
class SamplePlanTest {

    private static SampleCommand.Plan plan(String... args) {
        SampleCommand cmd = new SampleCommand();
        CommandLine cl = new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ParseResult pr = cl.parseArgs(args);
        return cmd.plan(pr::hasMatchedOption);
    }

    private static void assertStrategy(Strategy expected, String... args) {
        SampleCommand.Plan p = plan(args);
        assertEquals(expected.toString(), StrategySpec.parse(p.strategy()).strategy().toString(), p.strategy());
    }

    @Test
    void strategyTextRebuildsTheSameStrategy() {
        assertStrategy(Autospec.auto(), "--model", "markov:q=2", "--n", "8"); // the default
        assertStrategy(Autospec.speculative(), "--model", "markov:q=2", "--n", "8", "--strategy", "speculative");
        assertStrategy(Autospec.speculative().rho(0.25).earlyDecision(false).maxSpeculationSpan(16).maxConcurrentTrialSteps(1000),
                "--model", "markov:q=2", "--n", "8", "--strategy", "speculative", "--rho", "0.25", "--no-early-decision", "--max-span", "16", "--max-trial-steps", "1000");
        assertStrategy(Autospec.sequential(), "--model", "markov:q=2", "--n", "8", "--strategy", "sequential");
        assertStrategy(Autospec.token(12), "--model", "markov:q=2", "--n", "8", "--strategy", "token", "--window", "12");
        assertStrategy(Autospec.token(64), "--model", "markov:q=2", "--n", "8", "--strategy", "token");
        assertStrategy(Autospec.picard(9, 0.01), "--model", "box:d=2", "--strategy", "picard", "--window", "9", "--tolerance", "0.01");
        assertStrategy(Autospec.picard(64, 1e-3), "--model", "box:d=2", "--strategy", "picard");
        assertStrategy(Autospec.jacobi(7), "--model", "markov:q=2", "--n", "8", "--strategy", "jacobi", "--window", "7");
        assertStrategy(Autospec.auto().window(5), "--model", "markov:q=2", "--n", "8", "--window", "5");
        io.autospec.core.Coupling g = io.autospec.core.Coupling.GUMBEL;
        assertStrategy(Autospec.auto().coupling(g), "--model", "markov:q=2", "--n", "8", "--coupling", "gumbel");
        assertStrategy(Autospec.jacobi(7).coupling(g), "--model", "markov:q=2", "--n", "8", "--strategy", "jacobi:coupling=gumbel", "--window", "7");
        assertStrategy(Autospec.sequential().coupling(g), "--model", "markov:q=2", "--n", "8", "--strategy", "sequential", "--coupling", "gumbel");
        assertStrategy(Autospec.sequential().coupling(io.autospec.core.Coupling.INVERSE_CDF), "--model", "markov:q=2", "--n", "8",
                "--strategy", "sequential", "--coupling", "inverse-cdf");
        assertStrategy(Autospec.sequential(), "--model", "markov:q=2", "--n", "8", "--strategy", "sequential", "--coupling", "auto");
    }

    @Test
    void settingsAndDefaultsAreCarried() {
        SampleCommand.Plan p = plan("--model", "gaussian:d=3", "--samples", "7", "--seed", "11", "--backend", "cpu", "--threads", "2",
                "--capacity", "5", "--steps", "40", "--schedule", "uniform");
        assertEquals(new SampleCommand.Plan("gaussian:d=3", null, "auto", 7, 11, "cpu", 2, 5, 40, 1e-3, "uniform"), p);
        assertEquals(1024, plan("--model", "box:d=2").steps());
        assertEquals("geometric", plan("--model", "box:d=2").schedule());
    }

    @Test
    void sampleChecksApply() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> plan("--model", "markov:q=2", "--n", "8", "--strategy", "sequential", "--no-early-decision"));
        assertTrue(e.getMessage().contains("early-decision") && e.getMessage().contains("speculative only"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> plan("--model", "markov:q=2,stya=1", "--n", "8"));
        assertTrue(e.getMessage().contains("stya"), e.getMessage());
    }
}
