package io.autospec;

import io.autospec.ar.ArProcess;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalOracle;
import io.autospec.core.RoundScheduler;
import io.autospec.core.RunMetrics;
import java.util.List;

/**
 * Exact sampling from an any-order autoregressive model:
 * <pre>{@code
 * RunResult<int[]> r = Autospec.autoregressive(Models.markov(2, 0.9, 4096))
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

    /** Draws {@code samples} independent samples (ids from {@link #firstSampleId(int)}) in the same rounds. */
    public RunResult<int[]> sample(int samples) {
        return withBackend(b -> {
            RunMetrics metrics = new RunMetrics();
            RoundScheduler<ConditionalBatch> scheduler =
                    new RoundScheduler<>(new ConditionalBatch(oracle), b, capacity, metrics, listener);
            ArProcess process = new ArProcess(oracle, scheduler);
            List<int[]> xs = Engine.drawAll(scheduler, process, strategy, seed, firstSampleId, samples, br -> br.toPositionOrder());
            return new RunResult<>(xs, metrics, strategy.toString(), b.describe(), strategy.exact());
        });
    }
}
