package io.autospec.spec;

import io.autospec.core.Strategy;
import java.util.List;

/**
 * A strategy as the spec grammar names it ({@code NAME[:key=value,...]}): its name, settings,
 * defaults and help line declared once. Found through {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.autospec.spec.StrategyProvider}); the library's own strategies are
 * registered the same way. {@link Strategies} parses specs and lists help from these.
 */
public interface StrategyProvider {
    /** {@return the name, e.g. "token"} */
    String name();

    /** {@return the settings it accepts, in the order help lists them} */
    List<String> keys();

    /** {@return the syntax with its settings, e.g. "token[:window=64|adaptive]"} */
    String usage();

    /** {@return one line of help: what it does (and where it applies)} */
    String help();

    /** {@return whether it samples any-order AR models} */
    boolean appliesToAr();

    /** {@return whether it samples diffusion models} */
    boolean appliesToDiffusion();

    /**
     * Builds the strategy; errors name the spec, the setting and the value.
     *
     * @param spec the parsed spec (its keys already checked against {@link #keys()})
     * @return the strategy
     */
    Strategy create(SpecText spec);
}
