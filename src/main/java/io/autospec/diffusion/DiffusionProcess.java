package io.autospec.diffusion;

import io.autospec.spi.CancelScope;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.OracleRequest;
import io.autospec.core.RoundScheduler;
import io.autospec.core.Speculation;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

/**
 * Stochastic localization discretised on a {@link Schedule} as a {@link StepProcess}:
 * X_{t_{i+1}} = X_{t_i} + f(t_i, X_{t_i}) dt_i + N(0, dt_i I), X_0 = 0; the sample is X_T / T.
 * A prefix is the point X_{t_a}; a span outcome is a {@link PathSegment}.
 *
 * <p>Log-densities of increments drop the constant -d/2 log(2 pi dt_i), which cancels in every
 * ratio the algorithm takes.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class DiffusionProcess implements StepProcess<double[], PathSegment> {
    private final Denoiser denoiser;
    private final Schedule schedule;
    private final RoundScheduler<DriftBatch> scheduler;
    private final int d;

    /** The process of a denoiser on a schedule, whose queries go to the scheduler. */
    public DiffusionProcess(Denoiser denoiser, Schedule schedule, RoundScheduler<DriftBatch> scheduler) {
        this.denoiser = denoiser;
        this.schedule = schedule;
        this.scheduler = scheduler;
        this.d = denoiser.dimension();
        if (d < 1) throw new IllegalArgumentException("denoiser has dimension d = " + d);
    }

    /** {@return the denoiser} */
    public Denoiser denoiser() {
        return denoiser;
    }

    /** {@return the time schedule} */
    public Schedule schedule() {
        return schedule;
    }

    /** {@return d, the dimension} */
    public int dimension() {
        return d;
    }

    /** {@code auto} on a diffusion model: exact Picard iteration (tolerance 0), window 256 unless set. */
    @Override
    public Strategy autoStrategy(int window) {
        return PicardSampler.forAuto(window);
    }

    @Override
    public int length() {
        return schedule.steps();
    }

    @Override
    public double[] start(Node root) {
        return new double[d];
    }

    @Override
    public Deferred<Speculation<double[], PathSegment>> speculate(Node node, double[] prefix, int a, int b) {
        return drift(node.scope(), node.sample(), a, prefix)
                .map(f -> new DiffusionSpeculation(this, prefix, a, b, f));
    }

    @Override
    public double[] end(PathSegment y) {
        return y.end();
    }

    @Override
    public PathSegment concat(PathSegment left, PathSegment right) {
        return new PathSegment(right.end(), left.base() + right.base(), null);
    }

    /** {@return the sample X_T / T from the final state} */
    public double[] output(double[] xT) {
        double[] out = new double[d];
        double T = schedule.horizon();
        for (int i = 0; i < d; i++) out[i] = xT[i] / T;
        return out;
    }

    /** {@return one query: f(t_step, x)} */
    public Deferred<double[]> drift(CancelScope scope, int sample, int step, double[] x) {
        Deferred<double[]> result = new Deferred<>();
        scheduler.submit(new OracleRequest<>(scope) {
            @Override
            protected void write(DriftBatch batch) {
                int off = batch.add(schedule.time(step), sample, step);
                System.arraycopy(x, 0, batch.points(), off, d);
            }

            @Override
            protected void deliver(DriftBatch batch, int first, int c) {
                result.complete(java.util.Arrays.copyOfRange(batch.out(), first * d, (first + c) * d));
            }
        });
        return result;
    }

    /**
     * One request of {@code count} queries: f(t_i, X_{t_i}) for steps i = a+1, ..., a+count, where
     * X_{t_{a+1}} = x + z_0, X_{t_{a+2}} = x + z_0 + z_1, ... (prefix sums of {@code increments},
     * d values per step). Returns the drifts, d per query.
     */
    public Deferred<double[]> driftsAlong(CancelScope scope, int sample, int a, double[] x, double[] increments, int count) {
        Deferred<double[]> result = new Deferred<>();
        scheduler.submit(new OracleRequest<>(scope) {
            @Override
            protected void write(DriftBatch batch) {
                double[] points = batch.points();
                int prev = -1;
                for (int i = 0; i < count; i++) {
                    int off = batch.add(schedule.time(a + 1 + i), sample, a + 1 + i);
                    points = batch.points(); // may have grown
                    for (int c = 0; c < d; c++) {
                        double base = prev < 0 ? x[c] : points[prev + c];
                        points[off + c] = base + increments[i * d + c];
                    }
                    prev = off;
                }
            }

            @Override
            protected void deliver(DriftBatch batch, int first, int c) {
                result.complete(java.util.Arrays.copyOfRange(batch.out(), first * d, (first + c) * d));
            }
        });
        return result;
    }

    /**
     * One request of {@code count} queries: f(t_i, X_i) for steps i = a, ..., a+count-1, the points
     * read (when the round starts) from {@code points[off + (i-a) d ..]}.
     */
    public Deferred<double[]> driftsAt(CancelScope scope, int sample, int a, int count, double[] points, int off) {
        Deferred<double[]> result = new Deferred<>();
        scheduler.submit(new OracleRequest<>(scope) {
            @Override
            protected void write(DriftBatch batch) {
                for (int i = 0; i < count; i++) {
                    int o = batch.add(schedule.time(a + i), sample, a + i);
                    System.arraycopy(points, off + i * d, batch.points(), o, d);
                }
            }

            @Override
            protected void deliver(DriftBatch batch, int first, int c) {
                result.complete(java.util.Arrays.copyOfRange(batch.out(), first * d, (first + c) * d));
            }
        });
        return result;
    }

    /**
     * Fills {@code out[off .. off+d)} with standard normals for step {@code step} of the stream
     * {@code key} (Box-Muller on Philox uniforms, two normals per block).
     */
    public static void standardNormals(Key key, int step, double[] out, int off, int d) {
        int[] w = new int[4];
        for (int blk = 0; 2 * blk < d; blk++) {
            key.block(Purpose.DRAFT, step, blk, w);
            double u1 = 1.0 - io.autospec.internal.rng.Philox.toUniform(((long) w[0] << 32) | (w[1] & 0xFFFFFFFFL));
            double u2 = io.autospec.internal.rng.Philox.toUniform(((long) w[2] << 32) | (w[3] & 0xFFFFFFFFL));
            double r = Math.sqrt(-2.0 * Math.log(u1));
            double angle = 2.0 * Math.PI * u2;
            out[off + 2 * blk] = r * Math.cos(angle);
            if (2 * blk + 1 < d) out[off + 2 * blk + 1] = r * Math.sin(angle);
        }
    }

    /** -|z - f dt|^2 / (2 dt): the log-density of one increment, constant dropped. */
    static double logStep(double[] z, int zOff, double[] f, int fOff, double dt, int d) {
        double s = 0;
        for (int c = 0; c < d; c++) {
            double e = z[zOff + c] - f[fOff + c] * dt;
            s += e * e;
        }
        return -s / (2 * dt);
    }
}
