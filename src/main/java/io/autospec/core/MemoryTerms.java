package io.autospec.core;

/**
 * What a strategy contributes to a run's memory estimate ({@code MemoryEstimate} in the root package): each
 * strategy supplies its own terms through {@link Strategy#memoryTerms}, so the estimate needs no list
 * of strategy types. <b>Internal</b>: read by the estimate; may change without notice.
 *
 * @param request       the most queries one sample puts in one request (a speculation's span, a
 *                      window, or 1)
 * @param arRows        rows of q doubles a sample of an AR run keeps alive
 * @param diffusionRows rows of d-vectors a sample of a diffusion run keeps alive
 * @param rowsLever     the setting that shrinks the live rows
 * @param trialSteps    the running fallback trials' step budget, 0 when the strategy runs none
 */
public record MemoryTerms(long request, long arRows, long diffusionRows, String rowsLever, long trialSteps) {

    /** The lever of strategies that request a window at a time. */
    public static final String WINDOW_LEVER = "use fewer --samples or a smaller --window";

    /**
     * The terms of a strategy that requests up to a window of {@code window + 1} steps at once
     * ({@code window} null: the whole of the {@code steps}) and keeps two rows per AR query, three
     * per diffusion query.
     */
    public static MemoryTerms windowed(Object window, int steps) {
        long request = window instanceof Number num ? Math.min(steps, num.longValue() + 1) : steps;
        return new MemoryTerms(request, 2 * request, 3 * request, WINDOW_LEVER, 0);
    }
}
