package io.autospec.core;

import io.autospec.spi.Node;
import io.autospec.spi.Purpose;
import java.util.List;

/**
 * How a step's fixed random numbers r turn a probability row p into a value: x = C(p, r), with
 * C(p, r) ~ p for every row p. The {@code sequential}, {@code jacobi} and {@code auto} strategies
 * draw every AR step through one coupling; {@code jacobi}/{@code auto} return the
 * sequential-under-the-same-coupling samples bit for bit, and the coupling only changes how often a
 * value stays put when its conditional moves a little, i.e. their rounds (DESIGN.md 9b, 9c).
 *
 * <ul>
 *   <li>{@link #AUTO} (the default): {@link #INVERSE_CDF} when q = 2, where it is the
 *       maximal coupling, and {@link #GUMBEL} when q &gt;= 3, where it is universal; chosen by the race
 *       in benchmarks/RESULTS.md (section 13: 0.66x the rounds of the inverse CDF on the text model,
 *       a wash on the analytic models with q &gt;= 3, the same rounds and half the random numbers at q = 2).</li>
 *   <li>{@link #INVERSE_CDF}: one uniform u per step (purpose DRAFT), the smallest v
 *       whose cumulative mass exceeds u times the row's total. Optimal for q = 2; for larger q a
 *       value can flip with probability up to (q-1) TV, depending on the order of the values.</li>
 *   <li>{@link #GUMBEL}: Gumbel-max, x = argmax_v (log p_v + G_v) with G_v = -log(-log U_v) and
 *       U_v one uniform per (step stream, step, value) (purpose GUMBEL). Computed as
 *       argmax_v p_v / E_v with E_v = -log(1 - U_v) ~ Exp(1), the same argmax; ties go to the
 *       smallest v. Universal: two rows p, p' give the same value with probability at least
 *       (1 - TV)/(1 + TV), whatever the value order.</li>
 * </ul>
 *
 * <p>The random numbers of a draw ({@link #noise}) are a pure function of the node's Philox key and
 * the step, so they are the same on every backend and thread count; a strategy computes them once
 * per step and reuses them in every sweep (never redrawn, never shared across steps).
 *
 * <p>A subclass must keep C(p, noise) ~ p for every row p when the noise comes from
 * {@link #noise}, and the noise of different steps independent; the exactness of the strategies
 * rests on it.
 */
public abstract class Coupling {
    /** Inverse CDF of one uniform per step: the only coupling before gumbel came. */
    public static final Coupling INVERSE_CDF = new InverseCdf();
    /** Gumbel-max with one uniform per (step, value): the universal coupling. */
    public static final Coupling GUMBEL = new Gumbel();
    /** The default: {@link #INVERSE_CDF} for a binary alphabet, {@link #GUMBEL} for q &gt;= 3. */
    public static final Coupling AUTO = new ByAlphabet();

    /** For subclasses. */
    protected Coupling() {}

    /** {@return the name used in the strategy grammar: "auto", "inverse-cdf" or "gumbel"} */
    public abstract String name();

    /**
     * The random numbers of draw {@code index} of the node's stream for an alphabet of {@code q}
     * values: computed once per step, reused by every sweep.
     */
    public abstract double[] noise(Node node, int index, int q);

    /** {@return the value for the row {@code rows[base, base + q)} with those random numbers; -1 for a row without mass} */
    public abstract int draw(double[] rows, int base, int q, double[] noise);

    /** The draw rules a device knows by name (a backend that runs rounds itself draws with them). */
    public enum Rule {
        /** {@link #inverseCdf} with noise[0] */
        INVERSE_CDF,
        /** {@link #gumbelMax} with the noise as the exponentials e_v */
        GUMBEL_MAX,
        /** any other rule: only this class's {@link #draw} knows it */
        OTHER
    }

    /**
     * {@return which known rule {@link #draw} is for an alphabet of q values} A subclass keeps the
     * default, {@link Rule#OTHER}, unless its draw and noise are exactly one of the known rules.
     */
    public Rule rule(int q) {
        return Rule.OTHER;
    }

    /** {@return the coupling named {@code name} ("auto", "inverse-cdf" or "gumbel", case-insensitive)} */
    public static Coupling of(String name) {
        for (Coupling c : List.of(AUTO, INVERSE_CDF, GUMBEL)) if (c.name().equalsIgnoreCase(name)) return c;
        throw new IllegalArgumentException("unknown coupling '" + name + "' (auto, inverse-cdf or gumbel)");
    }

    @Override
    public String toString() {
        return name();
    }

    /**
     * Draws a value from a probability row with a uniform u in [0,1): the smallest v whose cumulative
     * mass exceeds u times the row's total; -1 for a row without mass.
     */
    public static int inverseCdf(double[] rows, int base, int q, double u) {
        double total = 0;
        for (int v = 0; v < q; v++) total += rows[base + v];
        if (!(total > 0)) return -1;
        double t = u * total;
        double cum = 0;
        int last = -1;
        for (int v = 0; v < q; v++) {
            double p = rows[base + v];
            if (p > 0) {
                cum += p;
                last = v;
                if (cum > t) return v;
            }
        }
        return last;
    }

    /**
     * Gumbel-max with exponential noise: argmax_v rows[base + v] / e[v] over the values with
     * positive mass (ties to the smallest v; e[v] = 0 wins); -1 for a row without mass.
     */
    public static int gumbelMax(double[] rows, int base, int q, double[] e) {
        int best = -1;
        double score = -1;
        for (int v = 0; v < q; v++) {
            double p = rows[base + v];
            if (p > 0) {
                double s = p / e[v];
                if (s > score) {
                    score = s;
                    best = v;
                }
            }
        }
        return best;
    }

    /** E_v = -log(1 - U_v) for v &lt; q, U_v the uniform of (purpose GUMBEL, index, v) of {@code node}'s stream. */
    public static double[] exponentials(Node node, int index, int q) {
        double[] e = new double[q];
        for (int v = 0; v < q; v++) e[v] = -Math.log(1 - node.key().uniform(Purpose.GUMBEL, index, v));
        return e;
    }

    private static final class InverseCdf extends Coupling {
        @Override
        public String name() {
            return "inverse-cdf";
        }

        @Override
        public double[] noise(Node node, int index, int q) {
            return new double[] {node.uniform(Purpose.DRAFT, index)};
        }

        @Override
        public int draw(double[] rows, int base, int q, double[] noise) {
            return inverseCdf(rows, base, q, noise[0]);
        }

        @Override
        public Rule rule(int q) {
            return Rule.INVERSE_CDF;
        }
    }

    private static final class ByAlphabet extends Coupling {
        @Override
        public String name() {
            return "auto";
        }

        private static Coupling pick(int q) {
            return q == 2 ? INVERSE_CDF : GUMBEL;
        }

        @Override
        public double[] noise(Node node, int index, int q) {
            return pick(q).noise(node, index, q);
        }

        @Override
        public int draw(double[] rows, int base, int q, double[] noise) {
            return pick(q).draw(rows, base, q, noise);
        }

        @Override
        public Rule rule(int q) {
            return pick(q).rule(q);
        }
    }

    private static final class Gumbel extends Coupling {
        @Override
        public String name() {
            return "gumbel";
        }

        @Override
        public double[] noise(Node node, int index, int q) {
            return exponentials(node, index, q);
        }

        @Override
        public int draw(double[] rows, int base, int q, double[] noise) {
            return gumbelMax(rows, base, q, noise);
        }

        @Override
        public Rule rule(int q) {
            return Rule.GUMBEL_MAX;
        }
    }
}
