package io.autospec.diffusion;

import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.spi.Sampled;
import io.autospec.core.SpanSpeculation;

/**
 * nu_S for diffusion: increments z_i ~ N(f(t_a, X_{t_a}) dt_i, dt_i I) for i in S, the drift frozen at
 * the start of the span (one round, one query).
 */
final class DiffusionSpeculation extends SpanSpeculation<double[], PathSegment> {
    /**
     * Deliberately wrong speculations, for the power checks of the diffusion tests only
     * (package-private; the tests set and reset it around a run).
     */
    enum Planted {
        NONE,
        /** Reports log nu + 0.1: the density is off by a constant factor. */
        LOG_NU_PLUS_TENTH,
        /** Draws the increments with the drift frozen at 0 while reporting the density of the f-frozen draft. */
        WRONG_FREEZE
    }

    static volatile Planted planted = Planted.NONE;

    private final DiffusionProcess process;
    private final double[] x;     // X_{t_a}, the prefix
    private final int d;
    private final double[] f;     // f(t_a, X_{t_a})

    DiffusionSpeculation(DiffusionProcess process, double[] x, int a, int b, double[] f) {
        super(x, a, b);
        this.process = process;
        this.x = x;
        this.d = process.dimension();
        this.f = f;
    }

    @Override
    public Sampled<PathSegment> draw(Node node) {
        Schedule s = process.schedule();
        int m = b - a;
        double[] z = new double[m * d];
        double[] end = x.clone();
        double base = 0, logNu = planted == Planted.LOG_NU_PLUS_TENTH ? 0.1 : 0;
        double drift = planted == Planted.WRONG_FREEZE && m > 1 ? 0 : 1; // single steps stay exact
        double[] xi = new double[d];
        for (int i = 0; i < m; i++) {
            double dt = s.dt(a + i), sd = Math.sqrt(dt);
            DiffusionProcess.standardNormals(node.key(), a + i, xi, 0, d);
            double sq = 0, xiSq = 0;
            for (int c = 0; c < d; c++) {
                double zc = drift * f[c] * dt + sd * xi[c];
                z[i * d + c] = zc;
                end[c] += zc;
                sq += zc * zc;
                xiSq += xi[c] * xi[c];
            }
            base -= sq / (2 * dt);
            if (drift == 0) { // planted: the density of the f-frozen draft, -|z - f dt|^2 / (2 dt)
                double r2 = 0;
                for (int c = 0; c < d; c++) r2 += (z[i * d + c] - f[c] * dt) * (z[i * d + c] - f[c] * dt);
                logNu -= r2 / (2 * dt);
                continue;
            }
            logNu -= xiSq / 2; // -|z - f dt|^2 / (2 dt) = -|xi|^2 / 2
        }
        return new Sampled<>(new PathSegment(end, base, z), logNu);
    }

    @Override
    public double logNu(PathSegment y) {
        double[] end = y.end();
        double dot = 0, ff = 0;
        for (int c = 0; c < d; c++) {
            dot += (end[c] - x[c]) * f[c];
            ff += f[c] * f[c];
        }
        Schedule s = process.schedule();
        double planted = DiffusionSpeculation.planted == Planted.LOG_NU_PLUS_TENTH ? 0.1 : 0;
        return y.base() + dot - ff * (s.time(b) - s.time(a)) / 2 + planted;
    }

    @Override
    public Deferred<Double> logMu(Node node, Sampled<PathSegment> draft) {
        double[] z = draft.value().increments();
        Schedule s = process.schedule();
        double first = DiffusionProcess.logStep(z, 0, f, 0, s.dt(a), d);
        return process.driftsAlong(node.scope(), node.sample(), a, x, z, b - a - 1).map(fs -> {
            double sum = first;
            for (int i = 1; i < b - a; i++) sum += DiffusionProcess.logStep(z, i * d, fs, (i - 1) * d, s.dt(a + i), d);
            return sum;
        });
    }
}
