package io.autospec.diffusion;

import io.autospec.core.OracleException;
import io.autospec.core.QueryBatch;
import java.util.Arrays;

/**
 * One round of denoiser queries: B pairs (t, x in R^d) in, B x d drifts out. Points are written
 * by the requests as prefix sums of increments, where the data lives.
 *
 * <p>The engine's side of a round: <b>internal</b> beyond the read-only {@link DriftQueries} view that
 * denoisers are handed.
 */
public final class DriftBatch extends QueryBatch implements DriftQueries {
    private final Denoiser denoiser;
    private final DriftEvaluator evaluator;
    private final int d;
    private int size;
    private double[] times = new double[64];
    private int[] samples = new int[64];
    private int[] steps = new int[64];
    private double[] points;
    private double[] out;

    /** An empty batch for the denoiser, evaluated by the denoiser on the calling thread (benchmarks, denoiser tests). */
    public DriftBatch(Denoiser denoiser) {
        this(denoiser, DriftEvaluator.INLINE);
    }

    /** An empty batch for the denoiser, evaluated by {@code evaluator} (a backend, for the engine). */
    public DriftBatch(Denoiser denoiser, DriftEvaluator evaluator) {
        this.denoiser = denoiser;
        this.evaluator = java.util.Objects.requireNonNull(evaluator, "evaluator");
        this.d = denoiser.dimension();
        this.points = new double[64 * d];
        this.out = new double[64 * d];
    }

    /** {@return the denoiser the batch is evaluated with} */
    public Denoiser denoiser() {
        return denoiser;
    }

    /** {@return d, the number of outputs per query} */
    public int dimension() {
        return d;
    }

    @Override
    public int size() {
        return size;
    }

    /** Adds a query at time t for the given sample and schedule step; returns the offset of its
     * point in {@link #points()}, where the caller writes x. */
    public int add(double t, int sample, int step) {
        if (size == times.length) {
            int len = size * 2;
            times = Arrays.copyOf(times, len);
            samples = Arrays.copyOf(samples, len);
            steps = Arrays.copyOf(steps, len);
            points = Arrays.copyOf(points, Math.multiplyExact(len, d));
            out = Arrays.copyOf(out, Math.multiplyExact(len, d));
        }
        times[size] = t;
        samples[size] = sample;
        steps[size] = step;
        return size++ * d;
    }

    @Override
    protected void clear() {
        size = 0;
    }

    /** {@return t of query j} */
    public double time(int j) {
        return times[j];
    }

    /** {@return the points, d values per query (query j at offset j * d)} */
    public double[] points() {
        return points;
    }

    /** {@return the drifts, d values per query} */
    public double[] out() {
        return out;
    }

    @Override
    protected void launch(int from, int to) {
        evaluator.drifts(denoiser, this, from, to);
    }

    @Override
    protected void validate(int from, int to) {
        for (int j = from; j < to; j++) {
            for (int i = 0; i < d; i++) {
                double f = out[j * d + i];
                if (!Double.isFinite(f)) {
                    throw new OracleException("denoiser " + denoiser.describe() + " returned " + f + " in coordinate " + i
                            + " at " + describe(j));
                }
            }
        }
    }

    /** {@return "query #j (sample s, step i, t = ...)"} */
    public String describe(int j) {
        return "query #" + j + " (sample " + samples[j] + ", step " + steps[j] + ", t = " + times[j] + ")";
    }
}
