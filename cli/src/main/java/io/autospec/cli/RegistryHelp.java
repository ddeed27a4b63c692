package io.autospec.cli;

import io.autospec.models.ModelSpec;
import io.autospec.spec.Strategies;
import io.autospec.spec.StrategyProvider;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;

/**
 * Help generated from the registries: a command's description line {@value #MODELS} becomes the
 * model list ({@link ModelSpec#help()}), {@value #STRATEGIES} the strategy list (one usage line per
 * strategy, its help line under it). Used by {@code sample}, {@code bench} and the Spark module as
 * their picocli model transformer, so a new kind or strategy appears in every help with no edit.
 */
public final class RegistryHelp implements CommandLine.IModelTransformer {
    /** The description line replaced by the model list. */
    public static final String MODELS = "@MODELS@";
    /** The description line replaced by the strategy list. */
    public static final String STRATEGIES = "@STRATEGIES@";
    /** The usage width of the commands that list the registries (so that no spec is wrapped). */
    public static final int WIDTH = 110;

    @Override
    public CommandLine.Model.CommandSpec transform(CommandLine.Model.CommandSpec spec) {
        List<String> lines = new ArrayList<>();
        for (String line : spec.usageMessage().description()) {
            if (line.equals(MODELS)) lines.addAll(escape(ModelSpec.help()));
            else if (line.equals(STRATEGIES)) lines.addAll(escape(strategies()));
            else lines.add(line);
        }
        spec.usageMessage().description(lines.toArray(new String[0]));
        spec.usageMessage().width(WIDTH);
        return spec;
    }

    /** {@return the strategy list: a heading, then each strategy's usage and its help line} */
    public static List<String> strategies() {
        List<String> lines = new ArrayList<>();
        lines.add("Strategies (--strategy NAME[:key=value,...]; the options below are aliases of settings):");
        for (StrategyProvider p : Strategies.all().values()) {
            lines.add("  " + p.usage());
            lines.add("      " + p.help());
        }
        return lines;
    }

    /** Picocli reads {@code %n} and {@code ${...}} in descriptions: the lists are plain text. */
    private static List<String> escape(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String l : lines) out.add(l.replace("%", "%%").replace("${", "$${"));
        return out;
    }
}
