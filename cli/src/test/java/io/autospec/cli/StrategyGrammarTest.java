package io.autospec.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.Autospec;
import io.autospec.spec.Strategies;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code sample --strategy} takes the registry's grammar {@code NAME[:key=value,...]} (as {@code bench}
 * and Spark do), with the older options as aliases of settings.
 */
class StrategyGrammarTest {

    private static SampleCommand.Plan plan(String... args) {
        SampleCommand cmd = new SampleCommand();
        CommandLine cl = new CommandLine(cmd).setCaseInsensitiveEnumValuesAllowed(true);
        CommandLine.ParseResult pr = cl.parseArgs(args);
        return cmd.plan(pr::hasMatchedOption);
    }

    @Test
    void sampleTakesSettingsInTheGrammar() {
        SampleCommand.Plan p = plan("--model", "markov:q=2", "--n", "8", "--strategy", "auto:redraft=false");
        assertEquals("auto:redraft=false", p.strategy());
        assertEquals(Autospec.auto().redraft(false).toString(), Strategies.create(p.strategy()).toString());
        p = plan("--model", "markov:q=2", "--n", "8", "--strategy", "token:window=adaptive");
        assertEquals(Autospec.tokenAdaptive().toString(), Strategies.create(p.strategy()).toString());
    }

    @Test
    void optionsAreAliasesOfSettings() {
        assertEquals("token:window=64", plan("--model", "markov:q=2", "--n", "8", "--strategy", "token", "--window", "64").strategy());
        assertEquals("token:window=64", plan("--model", "markov:q=2", "--n", "8", "--strategy", "token:window=64").strategy());
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> plan("--model", "markov:q=2", "--n", "8", "--strategy", "token:window=8", "--window", "64"));
        assertTrue(e.getMessage().contains("--window repeats the setting window="), e.getMessage());
    }

    @Test
    void badSettingsAreUsageErrors() {
        CommandLine.ParameterException e = assertThrows(CommandLine.ParameterException.class,
                () -> plan("--model", "markov:q=2", "--n", "8", "--strategy", "auto:redraft=sometimes"));
        assertTrue(e.getMessage().contains("redraft must be true or false"), e.getMessage());
        e = assertThrows(CommandLine.ParameterException.class, () -> plan("--model", "markov:q=2", "--n", "8", "--strategy", "jacobi:tol=0"));
        assertTrue(e.getMessage().contains("jacobi has no setting 'tol'"), e.getMessage());
    }
}
