package io.autospec.core;

import io.autospec.spi.Deferred;
import io.autospec.spi.Node;

/**
 * The paper's common view of both settings: a sequence of {@link #length()} steps, each drawn given
 * the prefix. Any-order AR: step i pins position sigma(i). Diffusion: step i moves X from t_i to
 * t_{i+1}. The generic strategies ({@link SequentialSampler}, {@link SpeculativeSampler}) are written
 * against this interface only.
 *
 * <p><b>SPI</b>: what a strategy is written against ({@link ChainStrategy#sample}); the library's AR and
 * diffusion processes implement it.
 *
 * @param <P> the state after a prefix of steps (AR: a branch of pinned values; diffusion: X_{t_a})
 * @param <Y> the outcome of a span of steps (AR: the extended branch; diffusion: X_{t_b} plus the
 *            statistics needed to evaluate the speculation's density at it)
 */
public interface StepProcess<P, Y> {

    /** {@return number of steps n (AR: positions; diffusion: schedule steps N)} */
    int length();

    /** {@return the empty prefix of a sample, before step 0} */
    P start(Node root);

    /**
     * One oracle round: the speculation nu_S for span S = [a, b) at prefix {@code prefix}. For
     * {@code b - a == 1} it is the exact law of the step.
     */
    Deferred<Speculation<P, Y>> speculate(Node node, P prefix, int a, int b);

    /** {@return the state after the steps of {@code y}} */
    P end(Y y);

    /** {@return the outcome of [a, b) made of the outcomes of [a, m) and then [m, b)} */
    Y concat(Y left, Y right);

    /**
     * The strategy {@code auto} runs on this process when the process's side has an exact
     * fixed-point iteration of its own (diffusion: exact Picard), or null when {@code auto} runs its
     * own (AR: Jacobi with re-drafting).
     *
     * @param window {@code auto}'s window setting; {@code Integer.MAX_VALUE} when not set
     * @return the strategy, or null
     */
    default Strategy autoStrategy(int window) {
        return null;
    }
}
