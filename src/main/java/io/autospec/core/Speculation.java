package io.autospec.core;

import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.spi.Sampled;

/**
 * nu_S: the speculation for one span S = [a, b) at a fixed prefix, built from one oracle round.
 * AR: the product of the marginals at the prefix. Diffusion: Gaussian increments with the drift
 * frozen at the start of the span.
 *
 * <p><b>SPI</b>: what {@link StepProcess#speculate} returns to a strategy.
 */
public interface Speculation<P, Y> {

    /** {@return the span's first step a} */
    int from();

    /** {@return the span's end b (exclusive)} */
    int to();

    /** Draws x ~ nu_S from the node's own stream (no oracle call); returns it with log nu_S(x). */
    Sampled<Y> draw(Node node);

    /**
     * Draws x ~ nu_S with the given coupling of the steps' random numbers to their values (AR: see
     * {@link Coupling}); {@link #draw(Node)} is the inverse-CDF draw. Steps that are not categorical
     * (diffusion) have no coupling to choose and ignore it.
     */
    default Sampled<Y> draw(Node node, Coupling coupling) {
        return draw(node);
    }

    /**
     * log nu_S(y) for an outcome y of this span obtained some other way (a fallback trial). Must be
     * computable without the oracle.
     */
    double logNu(Y y);

    /**
     * One oracle round: log mu_S(x) for the draft {@code x} returned by {@link #draw}, i.e. the sum
     * over the steps of the span of the log-density of step i given the prefix and x_{&lt;i}, all i
     * evaluated in parallel. Only called for spans of two or more steps.
     */
    Deferred<Double> logMu(Node node, Sampled<Y> draft);
}
