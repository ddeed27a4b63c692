package io.autospec.diffusion.models;

import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.DriftBatch;

/** Helpers around {@link Denoiser}s for callers outside a sampling run (a CLI, tests, reports). */
public final class Denoisers {
    private Denoisers() {}

    /**
     * f(t, x) for one user-given point, outside any run.
     *
     * @throws IllegalArgumentException when x does not have the model's dimension, or t or x is
     *         not finite (t must also be &gt;= 0); the message names the mismatch
     */
    public static double[] evaluate(Denoiser denoiser, double t, double[] x) {
        int d = denoiser.dimension();
        if (x == null) throw new IllegalArgumentException("the point is null");
        if (x.length != d) {
            throw new IllegalArgumentException("the point has " + x.length + " coordinate" + (x.length == 1 ? "" : "s")
                    + " but the model " + denoiser.describe() + " has dimension d = " + d);
        }
        if (!(t >= 0) || Double.isInfinite(t)) throw new IllegalArgumentException("time must be a finite number >= 0, got " + t);
        for (int i = 0; i < d; i++) {
            if (!Double.isFinite(x[i])) throw new IllegalArgumentException("coordinate " + i + " of the point is " + x[i]);
        }
        DriftBatch batch = new DriftBatch(denoiser);
        int off = batch.add(t, 0, 0);
        System.arraycopy(x, 0, batch.points(), off, d);
        denoiser.denoise(batch, 0, 1, batch.out());
        double[] f = new double[d];
        System.arraycopy(batch.out(), 0, f, 0, d);
        return f;
    }
}
