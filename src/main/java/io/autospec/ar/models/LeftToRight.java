package io.autospec.ar.models;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.ForwardingConditionalOracle;

/**
 * A model sampled in the forced order 0, 1, ..., n-1, as a left-to-right text model is: the order is
 * part of the model (every strategy pins positions in that order), the law is the wrapped oracle's.
 *
 * <p>{@link #stayChain} read left to right is the zoo's hard case for fixed-point iteration: with
 * stay close to 1 (or to 0), step t's inverse-CDF draw x_t = F^{-1}(u_t | x_{t-1}) differs for the
 * two values of x_{t-1} unless u_t falls within 1 - stay of an end, so an error in the iterate is
 * carried one step further every sweep and Jacobi certifies only a few steps a sweep (about n/2
 * rounds), while the recursion's speculation (the marginals at the prefix) stays close to the chain.
 */
public final class LeftToRight extends ForwardingConditionalOracle {
    private final String description;

    public LeftToRight(ConditionalOracle delegate, String description) {
        super(delegate);
        this.description = description;
    }

    /** The "stay" chain of {@link MarkovChain#stay} (uniform start), read left to right. */
    public static LeftToRight stayChain(int n, int q, double stay) {
        MarkovChain chain = MarkovChain.stay(n, q, stay);
        return new LeftToRight(chain, chain.describe() + " left to right");
    }

    @Override
    public boolean leftToRight() {
        return true;
    }

    @Override
    public String describe() {
        return description;
    }
}
