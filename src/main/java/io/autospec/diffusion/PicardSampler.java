package io.autospec.diffusion;

import io.autospec.core.ChainStrategy;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.RunMetrics;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Sliding-window Picard iteration (ParaDiGMS, Shih et al. 2023) for the discretised diffusion:
 * exact at tolerance 0, approximate (tolerance-controlled) above. The noise of step i is the same as the sequential sampler's
 * (both draw it from the stream of step i), so with tolerance 0 Picard returns exactly the
 * sequential Euler-Maruyama path, and with tolerance &gt; 0 its distance to that path measures
 * its error.
 *
 * <p>One round per iteration: drifts at all points of the window [s, s+w) in parallel, then
 * X_{i+1} = X_s + sum_{s&lt;=j&lt;=i} (f(t_j, X_j) dt_j + sqrt(dt_j) xi_j); the window slides to the
 * first point that moved more than tol * sqrt(dt) (per-coordinate RMS), and at least one step.
 */
public final class PicardSampler implements ChainStrategy {
    /** The window of exact Picard when {@code auto} runs on a diffusion model and no window is set. */
    public static final int AUTO_WINDOW = 256;

    /**
     * What {@code auto} runs on a diffusion model: exact Picard (tolerance 0) with {@code window},
     * {@link #AUTO_WINDOW} when it is {@link Integer#MAX_VALUE} (all steps).
     *
     * @param window the auto strategy's window
     * @return the exact Picard strategy
     */
    public static PicardSampler forAuto(int window) {
        return create(window == Integer.MAX_VALUE ? AUTO_WINDOW : window, 0);
    }
    private final int window;
    private final double tolerance;

    private PicardSampler(int window, double tolerance) {
        if (window < 1) throw new IllegalArgumentException("Picard window must be >= 1, got " + window);
        if (!(tolerance >= 0) || Double.isInfinite(tolerance)) {
            throw new IllegalArgumentException("Picard tolerance must be a finite number >= 0, got " + tolerance);
        }
        this.window = window;
        this.tolerance = tolerance;
    }

    /** {@return Picard iteration over windows of {@code window} steps; a point has converged once it moves by at most {@code tolerance} * sqrt(dt)} */
    public static PicardSampler create(int window, double tolerance) {
        return new PicardSampler(window, tolerance);
    }

    @Override
    public String name() {
        return "picard";
    }

    @Override
    public boolean exact() {
        // At tolerance 0 the window slides only past points that no longer change: the fixed point
        // is the sequential Euler-Maruyama path with the same noise, bit for bit.
        return tolerance == 0;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window);
        m.put("tol", tolerance); // picard:window=W,tol=T; whether it is exact: Strategy.exact()
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics) {
        if (!(process instanceof DiffusionProcess dp)) {
            throw new IllegalArgumentException("the picard strategy applies to diffusion models only");
        }
        Deferred<double[]> result = new Deferred<>();
        new Run(dp, root, result).iterate();
        return (Deferred<P>) result;
    }

    @Override
    public String toString() {
        return name() + settings();
    }

    private final class Run {
        private final DiffusionProcess process;
        private final Schedule schedule;
        private final Node root;
        private final Deferred<double[]> result;
        private final int n, d;
        private final double[] x;      // trajectory X_0..X_N, d per point
        private final double[] noise;  // sqrt(dt_i) xi_i, d per step
        private final boolean[] drawn;
        private int s;                 // the window starts at step s; X_0..X_s are final

        Run(DiffusionProcess process, Node root, Deferred<double[]> result) {
            this.process = process;
            this.schedule = process.schedule();
            this.root = root;
            this.result = result;
            this.n = schedule.steps();
            this.d = process.dimension();
            this.x = new double[(n + 1) * d];
            this.noise = new double[n * d];
            this.drawn = new boolean[n];
        }

        private void noise(int i) {
            if (drawn[i]) return;
            DiffusionProcess.standardNormals(root.step(i).key(), i, noise, i * d, d);
            double sd = Math.sqrt(schedule.dt(i));
            for (int c = 0; c < d; c++) noise[i * d + c] *= sd;
            drawn[i] = true;
        }

        void iterate() {
            if (s == n) {
                double[] end = new double[d];
                System.arraycopy(x, n * d, end, 0, d);
                result.complete(end);
                return;
            }
            int e = Math.min(s + window, n);
            Deferred<double[]> drifts = process.driftsAt(root.scope(), root.sample(), s, e - s, x, s * d);
            drifts.whenDone(f -> {
                int next = -1;
                for (int i = s; i < e; i++) {
                    noise(i);
                    double dt = schedule.dt(i);
                    double moved = 0;
                    for (int c = 0; c < d; c++) {
                        // Same rounding as the sequential step X_i + (f dt + sqrt(dt) xi), so that
                        // tolerance 0 reproduces the sequential path bit for bit.
                        double v = x[i * d + c] + (f[(i - s) * d + c] * dt + noise[i * d + c]);
                        double delta = v - x[(i + 1) * d + c];
                        moved += delta * delta;
                        x[(i + 1) * d + c] = v;
                    }
                    // X_{i+1} was computed from X_i; if no earlier point of the window moved, X_i
                    // was already final, so X_{i+1} is final now and the window can start there.
                    if (next < 0 && moved / d > tolerance * tolerance * dt) next = i + 1;
                }
                int newS = next < 0 ? e : next;
                // Points entering the window start from the last computed point.
                for (int i = e + 1; i <= Math.min(newS + window, n); i++) {
                    System.arraycopy(x, e * d, x, i * d, d);
                }
                s = newS;
                iterate();
            });
        }
    }
}
