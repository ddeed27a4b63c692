package io.autospec;

import io.autospec.core.RoundScheduler;
import io.autospec.core.RunMetrics;
import io.autospec.core.Strategy;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DiffusionProcess;
import io.autospec.diffusion.DriftBatch;
import io.autospec.diffusion.Schedule;
import java.util.List;

/**
 * Sampling a diffusion model (stochastic localization) on a schedule:
 * <pre>{@code
 * double[][] points = {{0, 0}, {1, 1}, {-1, 0.5}};
 * RunResult<double[]> r = Autospec.diffusion(IsotropicMixture.atoms(points, null), Schedule.geometric(1024, 1e-3))
 *         .strategy(Autospec.speculative())
 *         .sample(64);
 * }</pre>
 * Each sample is X_T / T, whose law is the discretised process's (close to mu * N(0, delta I)).
 */
public final class DiffusionRun extends RunSettings<DiffusionRun> {
    private final Denoiser denoiser;
    private final Schedule schedule;

    DiffusionRun(Denoiser denoiser, Schedule schedule) {
        this.denoiser = java.util.Objects.requireNonNull(denoiser, "denoiser");
        this.schedule = java.util.Objects.requireNonNull(schedule, "schedule");
    }

    /**
     * The strategy that draws this run's samples, as the strategy itself says
     * ({@link io.autospec.core.ChainStrategy#drawsOn}): the one set, or the one it hands this model to
     * (auto on a diffusion model runs exact Picard); reports name it.
     *
     * @return the strategy that draws
     */
    public Strategy drawingStrategy() {
        return io.autospec.core.ChainStrategy.of(strategy).drawsOn(new DiffusionProcess(denoiser, schedule, null));
    }

    /**
     * What {@link #sample(int) sample(samples)} would allocate with these settings (the denoiser's
     * own tables not included): check it against {@code Runtime.getRuntime().maxMemory()}.
     *
     * @param samples how many samples the run would draw
     * @return the estimate, term by term
     */
    public MemoryEstimate estimateMemory(int samples) {
        return MemoryEstimate.diffusion(schedule.steps(), denoiser.dimension(), drawingStrategy(), samples, capacity);
    }

    /**
     * Draws independent samples (ids from {@link #firstSampleId(int)}) in the same rounds.
     *
     * @param samples how many, at least 1
     * @return the samples (each double[d], X_T / T) and what they cost
     * @throws io.autospec.core.OracleException when the oracle returns something no distribution can be
     */
    public RunResult<double[]> sample(int samples) {
        return withBackend(b -> {
            RunMetrics metrics = new RunMetrics();
            RoundScheduler<DriftBatch> scheduler =
                    new RoundScheduler<>(new DriftBatch(denoiser, b), capacity, metrics, listener);
            DiffusionProcess process = new DiffusionProcess(denoiser, schedule, scheduler);
            long rows = denoiser.forwardRows();
            List<double[]> xs = Engine.drawAll(scheduler, process, strategy, seed, firstSampleId, samples, process::output);
            scheduler.recordForwardRows(denoiser.forwardRows() - rows);
            return new RunResult<>(xs, metrics, strategy.toString(), b.describe(), strategy.exact());
        });
    }
}
