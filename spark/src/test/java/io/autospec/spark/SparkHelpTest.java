package io.autospec.spark;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import io.autospec.spec.StrategyProvider;
import io.autospec.spec.Strategies;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Spark's help lists the registries' models and strategies, each spec whole on one line (no session needed). */
class SparkHelpTest {
    @Test
    void helpListsEveryKindAndStrategy() {
        String help = SparkSampleCommand.commandLine().getUsageMessage();
        List<String> lines = Arrays.asList(help.split("\\R"));
        for (ModelProvider p : ModelSpec.providers().values()) {
            for (String form : p.syntaxes()) assertTrue(lines.stream().anyMatch(l -> l.contains(form)), form + " in:\n" + help);
        }
        for (StrategyProvider p : Strategies.all().values()) {
            assertTrue(lines.stream().anyMatch(l -> l.contains(p.usage())), p.usage() + " in:\n" + help);
        }
    }
}
