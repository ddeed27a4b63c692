package io.autospec;

import io.autospec.backend.Backend;
import io.autospec.backend.CpuBackend;
import io.autospec.core.RoundListener;
import io.autospec.core.Strategy;

/**
 * Settings shared by AR and diffusion runs (fluent, in the style of a builder): each setter returns
 * this run.
 *
 * @param <S> the run type ({@link ArRun} or {@link DiffusionRun})
 */
public abstract class RunSettings<S extends RunSettings<S>> {
    Strategy strategy = Autospec.auto();
    long seed;
    Backend backend;
    int capacity = Integer.MAX_VALUE;
    int firstSampleId;
    RoundListener listener;

    @SuppressWarnings("unchecked")
    private S self() {
        return (S) this;
    }

    /**
     * Sets the sampling strategy (default: {@code auto}, as on the command line: {@link Autospec#auto()}).
     *
     * @param strategy a strategy from {@link Autospec}
     * @return this run
     */
    public S strategy(Strategy strategy) {
        this.strategy = java.util.Objects.requireNonNull(strategy, "strategy");
        return self();
    }

    /**
     * Sets the seed (default 0); with the same seed the samples are the same whatever the capacity,
     * threads or backend.
     *
     * @param seed the seed of every random stream of the run
     * @return this run
     */
    public S seed(long seed) {
        this.seed = seed;
        return self();
    }

    /**
     * The id of the run's first sample (default 0): {@code sample(m)} draws ids [first, first + m), each
     * bit-identical to the same id of a run from 0 with the same seed. Lets machines draw disjoint
     * ranges of one large run (the Spark module gives each partition a range).
     *
     * @param first the first sample id, at least 0
     * @return this run
     */
    public S firstSampleId(int first) {
        if (first < 0) throw new IllegalArgumentException("firstSampleId must be >= 0, got " + first);
        this.firstSampleId = first;
        return self();
    }

    /**
     * Sets the backend evaluating oracle batches; the caller owns it and closes it. Default: a CPU
     * backend on all cores, opened and closed by each {@code sample} call.
     *
     * @param backend the backend, e.g. from {@link io.autospec.backend.Backends#open}
     * @return this run
     */
    public S backend(Backend backend) {
        this.backend = java.util.Objects.requireNonNull(backend, "backend");
        return self();
    }

    /**
     * Sets the most queries per launch; a larger round is split into several launches (default:
     * unlimited). Rounds and samples do not change, only launches.
     *
     * @param capacity at least 1
     * @return this run
     */
    public S capacity(int capacity) {
        if (capacity < 1) throw new IllegalArgumentException("capacity must be >= 1, got " + capacity);
        this.capacity = capacity;
        return self();
    }

    /**
     * Sets a listener called after each round (progress, tracing).
     *
     * @param listener the listener, or null for none
     * @return this run
     */
    public S listener(RoundListener listener) {
        this.listener = listener;
        return self();
    }

    /** Runs {@code body} with the configured backend, or a temporary CPU backend closed afterwards. */
    <R> R withBackend(java.util.function.Function<Backend, R> body) {
        if (backend != null) return body.apply(backend);
        try (Backend b = new CpuBackend()) {
            return body.apply(b);
        }
    }
}
