package io.autospec.diffusion;

/**
 * The outcome of a span [a, b) of diffusion steps, reduced to what the recursion needs: the end point
 * X_{t_b} and base = sum_i -|z_i|^2 / (2 dt_i) over its increments z_i. With these, the log-density
 * of the increments under any frozen drift f is base + &lt;X_b - X_a, f&gt; - |f|^2 (t_b - t_a) / 2,
 * so a parent can test a trial against its speculation without storing the path. A fresh draft
 * also keeps its increments (for the density check of mu).
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class PathSegment {
    private final double[] end;
    private final double base;
    private final double[] increments; // null except for drafts

    PathSegment(double[] end, double base, double[] increments) {
        this.end = end;
        this.base = base;
        this.increments = increments;
    }

    /** {@return x_{t_b}} */
    public double[] end() {
        return end;
    }

    /** {@return sum_i -|z_i|^2 / (2 dt_i)} */
    public double base() {
        return base;
    }

    double[] increments() {
        return increments;
    }
}
