package io.autospec.core;

/**
 * How a sample is drawn: a per-sample routine over oracle rounds. All strategies of a run share one
 * {@link RoundScheduler}, so their requests are batched together. Get one from
 * {@code Autospec} in the root package ({@code sequential()}, {@code speculative()}, {@code token(w)},
 * {@code picard(w, tol)}) or from a spec through the strategy registry ({@code Strategies}).
 *
 * <p>Opaque to callers: a strategy has a name, an exactness, its settings (and the spec that prints
 * them) and its memory terms. How it draws a chain is {@link ChainStrategy}, the engine's internal
 * interface that every strategy of the library implements.
 */
public interface Strategy {

    /** {@return short name used in reports ("sequential", "speculative", "token", "picard")} */
    String name();

    /** {@return true when the strategy samples the target law exactly (Picard iteration does not)} */
    default boolean exact() {
        return true;
    }

    /**
     * {@return settings as name/value pairs, for reports: the keys and values of the spec grammar
     * ({@code NAME[:key=value,...]}, the registry's), so that {@link #spec()}
     * parses back to the same settings; "variant" and "stall-rule" are test hooks, not settings}
     */
    java.util.Map<String, Object> settings();

    /** {@return the strategy in the spec grammar, {@code NAME[:key=value,...]}, from {@link #settings()}} */
    default String spec() {
        StringBuilder sb = new StringBuilder(name());
        String sep = ":";
        for (java.util.Map.Entry<String, Object> e : settings().entrySet()) {
            if (e.getKey().equals("variant") || e.getKey().equals("stall-rule")) continue; // test hooks
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return sb.toString();
    }

    /**
     * The strategy's terms of a run's memory estimate, for a run of {@code steps} steps a sample.
     * The default: a window request (the {@code window} setting, else the whole run). <b>Internal</b>.
     *
     * @param steps positions (AR) or schedule steps (diffusion) of a sample
     * @return the terms
     */
    default MemoryTerms memoryTerms(int steps) {
        return MemoryTerms.windowed(settings().get("window"), steps);
    }
}
