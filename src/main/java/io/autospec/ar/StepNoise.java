package io.autospec.ar;

import io.autospec.core.Coupling;
import io.autospec.spi.Node;
import java.util.Arrays;

/**
 * The fixed random numbers r_t of one sample's steps under a coupling: those of the {@code sequential}
 * strategy's draw of step t (its stream, index t), computed once and reused by every round and every
 * candidate iterate (the fixed-point map x = T(x) is defined by them). Kept from a moving lower end
 * on, so a bounded window keeps memory bounded.
 */
final class StepNoise {
    private final Node root;
    private final Coupling coupling;
    private final int q;
    private final boolean redraw;
    private int base;                       // rows[i] holds step base + i (null: not computed yet)
    private double[][] rows = new double[16][];

    /** {@code redraw}: a planted wrong variant that keys the numbers by the round too (see JacobiSampler.Planted). */
    StepNoise(Node root, Coupling coupling, int q, boolean redraw) {
        this.root = root;
        this.coupling = coupling;
        this.q = q;
        this.redraw = redraw;
    }

    /** {@return step t's random numbers} ({@code round}: the round asking, read by the planted variant only) */
    double[] at(int t, int round) {
        if (redraw) return coupling.noise(root.step(t).trial(round), t, q);
        if (t < base) throw new IllegalStateException("step " + t + " is below the kept steps (from " + base + ")");
        int i = t - base;
        if (i >= rows.length) rows = Arrays.copyOf(rows, Math.max(2 * rows.length, i + 1));
        if (rows[i] == null) rows[i] = coupling.noise(root.step(t), t, q);
        return rows[i];
    }

    /** Steps before t are never asked for again. */
    void forgetBelow(int t) {
        int drop = t - base;
        if (drop <= 0) return;
        if (drop >= rows.length) {
            Arrays.fill(rows, null);
        } else {
            System.arraycopy(rows, drop, rows, 0, rows.length - drop);
            Arrays.fill(rows, rows.length - drop, rows.length, null);
        }
        base = t;
    }
}
