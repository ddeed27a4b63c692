package io.autospec.spark;

import io.autospec.backend.Backends;
import io.autospec.bench.StrategySpec;
import java.io.Serializable;
import java.util.Objects;

/**
 * Everything a partition needs to draw its sample ids, as serializable data: the model's recipe,
 * the strategy as a {@link StrategySpec} text ({@code speculative:rho=0.5}), the seed, and the
 * executor's backend ({@code auto}: the task's GPU when it has one, else the CPU).
 *
 * @param threads  CPU backend threads per task (0 = the task's {@code spark.task.cpus})
 * @param capacity most queries per launch ({@code null}: unlimited)
 */
public record SamplingJob(ModelSource model, String strategy, long seed, String backend, int threads, Integer capacity)
        implements Serializable {

    public SamplingJob {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(strategy, "strategy");
        StrategySpec.parse(strategy); // bad settings fail here, on the driver
        Backends.checkName(backend);
        if (threads < 0) throw new IllegalArgumentException("threads must be >= 0, got " + threads);
        if (capacity != null && capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
    }

    /** The model and strategy on the {@code auto} backend, {@code spark.task.cpus} threads, unlimited capacity. */
    public static SamplingJob of(ModelSource model, String strategy, long seed) {
        return new SamplingJob(model, strategy, seed, "auto", 0, null);
    }

    public SamplingJob withBackend(String name, int cpuThreads) {
        return new SamplingJob(model, strategy, seed, name, cpuThreads, capacity);
    }

    public SamplingJob withCapacity(Integer queriesPerLaunch) {
        return new SamplingJob(model, strategy, seed, backend, threads, queriesPerLaunch);
    }

    /**
     * Opens the model here and checks the strategy applies to it: what the driver does before any task
     * starts, so a bad spec fails with the engine's message and no executor time is spent.
     */
    public ModelSource.Model check() {
        ModelSource.Model m = model.open();
        StrategySpec st = StrategySpec.parse(strategy);
        if (!st.appliesTo(m.diffusion())) {
            throw new IllegalArgumentException("strategy " + strategy + " applies to " + (m.diffusion() ? "AR" : "diffusion")
                    + " models only; " + model.describe() + " is " + (m.diffusion() ? "a diffusion" : "an AR") + " model");
        }
        return m;
    }
}
