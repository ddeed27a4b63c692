package io.autospec.spec;

import io.autospec.core.Strategy;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

/**
 * The strategy registry: every {@link StrategyProvider} on the class path (the library's own ones
 * included), one grammar {@code NAME[:key=value,...]} for all of them, and the help lines front ends
 * print. Used by {@code sample --strategy}, {@code bench --strategy} and the Spark module.
 */
public final class Strategies {
    private static volatile Map<String, StrategyProvider> registry;

    private Strategies() {}

    /** {@return the providers by name, in registration order} */
    public static Map<String, StrategyProvider> all() {
        Map<String, StrategyProvider> r = registry;
        if (r == null) {
            Map<String, StrategyProvider> m = new LinkedHashMap<>();
            for (StrategyProvider p : ServiceLoader.load(StrategyProvider.class, Strategies.class.getClassLoader())) {
                m.putIfAbsent(p.name(), p);
            }
            registry = r = java.util.Collections.unmodifiableMap(m);
        }
        return r;
    }

    /** {@return the names, for messages} */
    public static List<String> names() {
        return List.copyOf(all().keySet());
    }

    /**
     * The provider of a parsed spec, its keys checked.
     *
     * @param spec a spec whose {@link SpecText#name()} names a strategy
     * @return the provider
     */
    public static StrategyProvider provider(SpecText spec) {
        StrategyProvider p = all().get(spec.name());
        if (p == null) {
            throw new IllegalArgumentException("unknown strategy '" + spec.name() + "' in " + spec.text() + " (known: "
                    + String.join(", ", names()) + ")");
        }
        for (String key : spec.params().keySet()) {
            if (!p.keys().contains(key)) {
                throw new IllegalArgumentException("strategy " + spec.text() + ": " + p.name() + " has no setting '" + key + "' (it takes: "
                        + (p.keys().isEmpty() ? "none" : String.join(", ", p.keys())) + ")");
            }
        }
        return p;
    }

    /**
     * Parses {@code NAME[:key=value,...]} and builds the strategy.
     *
     * @param text the spec, e.g. {@code auto:redraft=false}
     * @return the strategy
     */
    public static Strategy create(String text) {
        SpecText spec = SpecText.parse(text, "strategy");
        return provider(spec).create(spec);
    }

    /** {@return one help line per strategy: usage, then what it does} */
    public static List<String> help() {
        List<String> lines = new ArrayList<>();
        for (StrategyProvider p : all().values()) lines.add(p.usage() + ": " + p.help());
        return lines;
    }

    /** {@return the names of the strategies that declare the setting {@code key}, in registry order} */
    public static List<String> withSetting(String key) {
        List<String> out = new java.util.ArrayList<>();
        for (StrategyProvider p : all().values()) if (p.keys().contains(key)) out.add(p.name());
        return out;
    }

    /** {@return the names of the strategies for diffusion models ({@code true}) or AR models, in registry order} */
    public static List<String> applicable(boolean diffusion) {
        List<String> out = new java.util.ArrayList<>();
        for (StrategyProvider p : all().values()) if (diffusion ? p.appliesToDiffusion() : p.appliesToAr()) out.add(p.name());
        return out;
    }
}
