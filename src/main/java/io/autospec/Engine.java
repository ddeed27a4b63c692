package io.autospec;

import io.autospec.core.ChainStrategy;
import io.autospec.spi.Node;
import io.autospec.core.QueryBatch;
import io.autospec.core.RoundScheduler;
import io.autospec.core.RunMetrics;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/** Runs M independent samples (ids firstId..firstId+M-1) of one strategy in the same rounds. Shared by AR and diffusion. */
final class Engine {
    private Engine() {}

    /** Refuses a sample count below 1 or ids beyond Integer.MAX_VALUE. */
    static void checkSamples(int firstId, int samples) {
        if (samples < 1) throw new IllegalArgumentException("samples must be >= 1, got " + samples);
        if ((long) firstId + samples - 1 > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("sample ids " + firstId + " + " + samples + " exceed " + Integer.MAX_VALUE);
        }
    }

    static <B extends QueryBatch, P, Y, T> List<T> drawAll(RoundScheduler<B> scheduler, StepProcess<P, Y> process,
                                                         Strategy strategy, long seed, int firstId, int samples,
                                                         Function<P, T> output) {
        checkSamples(firstId, samples);
        RunMetrics metrics = scheduler.metrics();
        scheduler.recordSamples(samples, firstId);
        ChainStrategy chain = ChainStrategy.of(ChainStrategy.of(strategy).drawsOn(process));
        long t0 = System.nanoTime();
        List<T> out = runSamples(scheduler, firstId, samples, s -> chain.sample(process, Node.root(seed, firstId + s), metrics), output,
                "strategy " + strategy);
        scheduler.recordWallSeconds((System.nanoTime() - t0) * 1e-9);
        return out;
    }

    /**
     * Starts every sample ({@code start}: sample index -&gt; its result once the rounds have drawn it), runs
     * the rounds until none is pending, and returns the outputs in sample order; a sample left
     * unfinished is an error naming it and {@code what} runs.
     */
    static <B extends QueryBatch, P, T> List<T> runSamples(RoundScheduler<B> scheduler, int firstId, int samples,
                                                           java.util.function.IntFunction<io.autospec.spi.Deferred<P>> start,
                                                           Function<P, T> output, String what) {
        Object[] results = new Object[samples];
        for (int s = 0; s < samples; s++) {
            int slot = s;
            start.apply(s).whenDone(p -> {
                results[slot] = output.apply(p);
                scheduler.recordSampleDone();
            });
        }
        scheduler.run();
        List<T> out = new ArrayList<>(samples);
        for (int s = 0; s < samples; s++) {
            if (results[s] == null) {
                throw new IllegalStateException("sample " + (firstId + s) + " did not finish though no oracle request is pending"
                        + " (" + what + ", finished: " + Arrays.stream(results).filter(r -> r != null).count() + ")");
            }
            @SuppressWarnings("unchecked") T t = (T) results[s];
            out.add(t);
        }
        return out;
    }
}
