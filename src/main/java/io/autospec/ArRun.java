package io.autospec;

import io.autospec.ar.ArProcess;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.core.RoundScheduler;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import java.util.List;

/**
 * Exact sampling from an any-order autoregressive model:
 * <pre>{@code
 * RunResult<int[]> r = Autospec.autoregressive(MarkovChain.stay(4096, 2, 0.9))
 *         .strategy(Autospec.speculative().rho(1.0))
 *         .seed(42)
 *         .sample(100);
 * }</pre>
 */
public final class ArRun extends RunSettings<ArRun> {
    private final ConditionalOracle oracle;

    ArRun(ConditionalOracle oracle) {
        this.oracle = java.util.Objects.requireNonNull(oracle, "oracle");
    }

    /**
     * The strategy that draws this run's samples, as the strategy itself says
     * ({@link io.autospec.core.ChainStrategy#drawsOn}): the one set, or the one it hands this model to
     * (auto on a diffusion model runs exact Picard); reports name it.
     *
     * @return the strategy that draws
     */
    public Strategy drawingStrategy() {
        return io.autospec.core.ChainStrategy.of(strategy).drawsOn(new ArProcess(oracle, null));
    }

    /**
     * What {@link #sample(int) sample(samples)} would allocate with these settings (the oracle's own
     * tables, already built, not included): check it against {@code Runtime.getRuntime().maxMemory()}.
     *
     * @param samples how many samples the run would draw
     * @return the estimate, term by term
     */
    public MemoryEstimate estimateMemory(int samples) {
        return MemoryEstimate.autoregressive(oracle.length(), oracle.alphabet(), strategy, samples, capacity);
    }

    /**
     * Draws independent samples (ids from {@link #firstSampleId(int)}) in the same rounds.
     *
     * @param samples how many, at least 1
     * @return the samples (each int[n] in position order) and what they cost
     * @throws io.autospec.core.OracleException when the oracle returns something no distribution can be
     */
    public RunResult<int[]> sample(int samples) {
        return withBackend(b -> {
            RunMetrics metrics = new RunMetrics();
            RoundScheduler<ConditionalBatch> scheduler =
                    new RoundScheduler<>(new ConditionalBatch(oracle, b), capacity, metrics, listener);
            ArProcess process = new ArProcess(oracle, scheduler);
            long rows = oracle.forwardRows();
            List<int[]> xs = Engine.drawAll(scheduler, process, strategy, seed, firstSampleId, samples, br -> br.toPositionOrder());
            scheduler.recordForwardRows(oracle.forwardRows() - rows);
            return new RunResult<>(xs, metrics, strategy.toString(), b.describe(), strategy.exact());
        });
    }
}
