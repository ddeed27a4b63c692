package io.autospec.bench;

import io.autospec.core.Strategy;
import io.autospec.spec.SpecText;
import io.autospec.spec.StrategyProvider;
import io.autospec.spec.Strategies;
import java.util.Map;

/**
 * A strategy named on the command line, in the registry's grammar {@code NAME[:key=value,...]}
 * ({@link Strategies}): e.g. {@code sequential}, {@code speculative:rho=0.1,early=false},
 * {@code token:window=adaptive}, {@code picard:window=64,tol=1e-3}, {@code jacobi[:window=W]},
 * {@code auto:redraft=false}. The names, settings and defaults are the registered providers'.
 */
public record StrategySpec(String text, String name, Map<String, String> params) {

    /** Parses and checks a spec (its values too). */
    public static StrategySpec parse(String text) {
        SpecText spec = SpecText.parse(text, "strategy");
        Strategies.provider(spec).create(spec); // validate values now
        return new StrategySpec(text, spec.name(), spec.params());
    }

    private StrategyProvider provider() {
        return Strategies.all().get(name);
    }

    /** Whether the strategy applies to AR (true) or diffusion (false) models. */
    public boolean appliesTo(boolean diffusion) {
        return diffusion ? provider().appliesToDiffusion() : provider().appliesToAr();
    }

    /** {@return a fresh strategy} */
    public Strategy strategy() {
        return provider().create(new SpecText(text, "strategy", name, params));
    }

    /** A label for tables and plots: the text as given. */
    public String label() {
        return text;
    }
}
