package io.autospec.diffusion;

import java.util.Arrays;

/**
 * The time grid 0 = t_0 &lt; t_1 &lt; ... &lt; t_N = T = 1/delta of the stochastic-localization
 * process. Step i moves X from t_i to t_{i+1}.
 */
public final class Schedule {
    private final String name;
    private final double[] t;

    private Schedule(String name, double[] t) {
        this.name = name;
        this.t = t;
        if (t.length < 2) throw new IllegalArgumentException("a schedule needs at least one step");
        if (t[0] != 0) throw new IllegalArgumentException("a schedule starts at t_0 = 0, got " + t[0]);
        for (int i = 1; i < t.length; i++) {
            if (!(t[i] > t[i - 1]) || !Double.isFinite(t[i])) {
                throw new IllegalArgumentException("schedule times must increase strictly and be finite: t_" + (i - 1)
                        + " = " + t[i - 1] + ", t_" + i + " = " + t[i]);
            }
        }
    }

    /**
     * N equal steps from 0 to T = 1/delta.
     *
     * @param steps N, at least 1
     * @param delta the final noise level delta = 1/T, positive
     * @return the schedule
     */
    public static Schedule uniform(int steps, double delta) {
        double T = horizon(steps, delta);
        double[] t = new double[steps + 1];
        for (int i = 0; i <= steps; i++) t[i] = T * i / steps;
        t[steps] = T;
        return new Schedule("uniform", t);
    }

    /**
     * Log-spaced (geometric) times: t_1 = tMin and t_N = T with a constant ratio between
     * consecutive times, i.e. uniform in log-SNR; the usual choice for high accuracy, since the
     * drift changes fastest at small t and settles as t grows.
     *
     * @param steps N, at least 1
     * @param delta the final noise level delta = 1/T, positive
     * @param tMin  t_1, in (0, T)
     * @return the schedule (t_0 = 0)
     */
    public static Schedule geometric(int steps, double delta, double tMin) {
        double T = horizon(steps, delta);
        if (!(tMin > 0) || !(tMin < T)) {
            throw new IllegalArgumentException("geometric schedule needs 0 < tMin < T = " + T + ", got tMin = " + tMin);
        }
        double[] t = new double[steps + 1];
        if (steps == 1) {
            t[1] = T;
        } else {
            double logRatio = Math.log(T / tMin);
            for (int i = 1; i <= steps; i++) t[i] = tMin * Math.exp(logRatio * (i - 1) / (steps - 1));
            t[steps] = T;
        }
        return new Schedule("geometric", t);
    }

    /**
     * Geometric times with the default tMin = min(1, T) / N (for N = 1, where tMin plays no role,
     * min(1, T) / 2 so that it stays below T).
     *
     * @param steps N, at least 1
     * @param delta the final noise level delta = 1/T, positive
     * @return the schedule (t_0 = 0)
     */
    public static Schedule geometric(int steps, double delta) {
        double T = horizon(steps, delta);
        return geometric(steps, delta, Math.min(1.0, T) / Math.max(2, steps));
    }

    /**
     * An explicit grid.
     *
     * @param times t_0 = 0 &lt; t_1 &lt; ... &lt; t_N
     * @return the schedule
     */
    public static Schedule of(double... times) {
        return new Schedule("custom", times.clone());
    }

    private static double horizon(int steps, double delta) {
        if (steps < 1) throw new IllegalArgumentException("steps must be >= 1, got " + steps);
        if (!(delta > 0) || !Double.isFinite(1 / delta)) {
            throw new IllegalArgumentException("delta must be a positive number, got " + delta);
        }
        return 1.0 / delta;
    }

    /** {@return the schedule's kind: "geometric", "uniform" or "custom"} */
    public String name() {
        return name;
    }

    /** {@return N, the number of steps} */
    public int steps() {
        return t.length - 1;
    }

    /** {@return t_i} */
    public double time(int i) {
        return t[i];
    }

    /** {@return t_{i+1} - t_i} */
    public double dt(int i) {
        return t[i + 1] - t[i];
    }

    /** {@return T = t_N} */
    public double horizon() {
        return t[t.length - 1];
    }

    /** {@return a copy of the times t_0 &lt; t_1 &lt; ... &lt; t_N} */
    public double[] times() {
        return t.clone();
    }

    @Override
    public String toString() {
        return name + "(N=" + steps() + ", T=" + horizon() + ")";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Schedule s && Arrays.equals(t, s.t);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(t);
    }
}
