package io.autospec.core;

/**
 * Token-level speculative sampling as device rounds ({@code token}): a window of drafts from the
 * marginals at the prefix (one round), their chain of conditionals (a second round, unless the window
 * is the last position alone), acceptance left to right, a residual or bonus token.
 *
 * @param window    the fixed window, or 0 for adaptive windows
 * @param minWindow the first and smallest adaptive window (1 for fixed windows)
 */
public record TokenWindows(int window, int minWindow) implements DeviceRounds {
    public TokenWindows {
        if (window < 0 || minWindow < 1) throw new IllegalArgumentException("token windows " + window + ", min " + minWindow);
    }
}
