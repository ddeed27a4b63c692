package io.autospec.core;

import io.autospec.spi.Deferred;
import io.autospec.spi.Node;

/**
 * <b>SPI</b>: how a {@link Strategy} draws a sample, the one method the engine calls. Every strategy
 * of the library implements it, and so does a strategy of your own (registered with a
 * {@code StrategyProvider} of the strategy registry); callers hold a {@link Strategy}, which is opaque. A
 * strategy is written against a {@link StepProcess} (its {@link Speculation}s), the recursion's
 * {@link io.autospec.spi.Node}s and {@link io.autospec.spi.Deferred} values, and records what it did
 * through the {@link io.autospec.spi.Progress} methods of the run's metrics.
 */
public interface ChainStrategy extends Strategy {

    /**
     * Starts drawing one sample; the result is the state after all steps.
     *
     * @param process the step process of the run (AR or diffusion)
     * @param root    the sample's root node (its random stream)
     * @param metrics the run's metrics: record progress and speculations through its {@link io.autospec.spi.Progress} methods
     * @param <P>     the state after a prefix of steps
     * @param <Y>     the outcome of a span of steps
     * @return the state after all steps, once the rounds have produced it
     */
    <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics);

    /**
     * The strategy that draws the samples of {@code process}: this one (the default), or the one this
     * strategy hands a process of that kind to (auto hands a diffusion process to exact Picard). The
     * engine runs what it returns, and reports and memory estimates name it.
     *
     * @param process the step process of the run (AR or diffusion)
     * @return the strategy that draws on it
     */
    default Strategy drawsOn(StepProcess<?, ?> process) {
        return this;
    }

    /**
     * The device rounds this strategy is, if it is such a strategy (see {@link DeviceRounds}), so that a
     * backend able to run such rounds on its device may run them there; the samples, rounds and
     * queries must be exactly those of {@link #sample}. Default: none.
     *
     * @return the plan of its rounds, or empty when the strategy is not one
     */
    default java.util.Optional<DeviceRounds> deviceRounds() {
        return java.util.Optional.empty();
    }

    /** {@return {@code strategy} as the engine runs it}, or an error naming it if it cannot run here */
    static ChainStrategy of(Strategy strategy) {
        if (strategy instanceof ChainStrategy c) return c;
        throw new IllegalArgumentException("strategy " + strategy.name() + " (" + strategy.getClass().getName()
                + ") does not implement " + ChainStrategy.class.getName() + ", so this engine cannot run it");
    }
}
