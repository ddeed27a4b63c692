package io.autospec.core;

/**
 * What a strategy is when it is a plain fixed-point run of the chain x_t = C(p_t(. | x_&lt;t), r_t):
 * every round redraws the steps [c, min(n, c + window)) after the certified prefix c from the previous
 * iterate, with each step's fixed random numbers r_t under {@code coupling}, and certifies up to the
 * first changed step. {@code sequential} is the window of one step, {@code jacobi} a window of W. The
 * rounds, queries and samples are then fully determined, so a backend may run them on its own device
 ({@link ChainStrategy#deviceRounds}).
 *
 * @param window   the most steps swept a round, at least 1 ({@code Integer.MAX_VALUE}: every uncertified step)
 * @param coupling how a step's random numbers become its value
 */
public record FixedPoint(int window, Coupling coupling) implements DeviceRounds {
    public FixedPoint {
        if (window < 1) throw new IllegalArgumentException("window must be >= 1, got " + window);
        if (coupling == null) throw new IllegalArgumentException("coupling must not be null");
    }
}
