package io.autospec.core;

import io.autospec.internal.core.Deferred;
import io.autospec.internal.core.Node;

/**
 * <b>Internal</b>: how a {@link Strategy} draws a sample, the one method the engine calls. Every
 * strategy of the library (and of a {@code StrategyProvider} that runs on this engine) implements it;
 * callers hold a {@link Strategy}, which is opaque. Public only because the strategies of the AR and
 * diffusion packages implement it and the root package runs it; its types are internal and may change.
 */
public interface ChainStrategy extends Strategy {

    /**
     * Starts drawing one sample; the result is the state after all steps.
     *
     * @param process the step process of the run (AR or diffusion)
     * @param root    the sample's root node (its random stream)
     * @param metrics the run's metrics, for the strategy's per-depth counts
     * @param <P>     the state after a prefix of steps
     * @param <Y>     the outcome of a span of steps
     * @return the state after all steps, once the rounds have produced it
     */
    <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics);

    /** {@return {@code strategy} as the engine runs it}, or an error naming it if it cannot run here */
    static ChainStrategy of(Strategy strategy) {
        if (strategy instanceof ChainStrategy c) return c;
        throw new IllegalArgumentException("strategy " + strategy.name() + " (" + strategy.getClass().getName()
                + ") does not implement " + ChainStrategy.class.getName() + ", so this engine cannot run it");
    }
}
