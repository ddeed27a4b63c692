package io.autospec.ar.models;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;

/**
 * A homogeneous Markov chain X_0 -&gt; X_1 -&gt; ... -&gt; X_{n-1} on q states with transition matrix P and
 * initial law pi. Given pinned positions, X_i depends only on its nearest pinned neighbours l &lt; i &lt; r:
 * mu(X_i = x | ...) is proportional to (pi P^i)(x) or P^{i-l}(x_l, x), times P^{r-i}(x, x_r) if r exists.
 * Powers come from a table when q^2 n is small, else from repeated squaring per query. The "stay"
 * chain has closed-form powers (below), used when tables would be large or cost O(q^3) to build.
 *
 * <p>A pinned context of probability zero is answered with zeros only when its nearest pinned
 * neighbours are inconsistent with each other; a context made impossible farther away gets the
 * neighbour-based conditional (allowed by {@link ConditionalOracle#conditionals}: such outputs are
 * never used), which keeps every query O(log n).
 */
public final class MarkovChain implements ConditionalOracle {
    private static final long TABLE_LIMIT = 1L << 23; // doubles in the power table

    private final int n, q;
    private final String description;
    private final double[] initialAt; // n x q: pi P^t
    private final double[] powers;    // n x q x q: P^d, or null
    private final double[][] squares; // P^(2^j), used when powers == null
    // Closed form of the "stay" chain started uniform (then initialAt, powers, squares are null):
    // P = stay I + (1 - stay)/(q - 1) (J - I) has eigenvalue 1 on the constants and lambda =
    // stay - (1 - stay)/(q - 1) on their complement, so P^d(a, b) = 1/q + lambda^d ([a = b] - 1/q),
    // and the uniform start is stationary.
    private final boolean closedForm;
    private final double lambda;

    /**
     * A chain with transition matrix P and initial law pi.
     *
     * @param n           positions, at least 1
     * @param transition  P, q x q; each row a probability vector within
     *                    {@link ConditionalBatch#NORMALISATION_TOLERANCE} (then renormalised)
     * @param initial     pi, q entries, a probability vector within the same tolerance
     * @param description the name in reports
     */
    public MarkovChain(int n, double[][] transition, double[] initial, String description) {
        if (n < 1) throw new IllegalArgumentException("chain needs n >= 1, got " + n);
        this.n = n;
        this.q = transition.length;
        this.description = description;
        this.closedForm = false;
        this.lambda = Double.NaN;
        double[] p = new double[q * q];
        for (int a = 0; a < q; a++) {
            if (transition[a].length != q) throw new IllegalArgumentException("transition matrix is not square (row " + a + ")");
            double s = 0;
            for (int b = 0; b < q; b++) {
                double v = transition[a][b];
                if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("P[" + a + "][" + b + "] = " + v);
                s += v;
            }
            if (Math.abs(s - 1) > ConditionalBatch.NORMALISATION_TOLERANCE) throw new IllegalArgumentException("row " + a + " of P sums to " + s + ", not 1");
            for (int b = 0; b < q; b++) p[a * q + b] = transition[a][b] / s;
        }
        if (initial.length != q) throw new IllegalArgumentException("initial law has " + initial.length + " entries, expected " + q);
        double s0 = 0;
        for (double v : initial) {
            if (!(v >= 0) || Double.isInfinite(v)) throw new IllegalArgumentException("initial law entry " + v);
            s0 += v;
        }
        if (Math.abs(s0 - 1) > ConditionalBatch.NORMALISATION_TOLERANCE) throw new IllegalArgumentException("initial law sums to " + s0 + ", not 1");

        initialAt = new double[n * q];
        for (int b = 0; b < q; b++) initialAt[b] = initial[b] / s0;
        for (int t = 1; t < n; t++) vecMat(initialAt, (t - 1) * q, p, 0, initialAt, t * q);

        if ((long) n * q * q <= TABLE_LIMIT) {
            powers = new double[n * q * q];
            for (int a = 0; a < q; a++) powers[a * q + a] = 1.0;
            for (int d = 1; d < n; d++) matMul(powers, (d - 1) * q * q, p, powers, d * q * q);
            squares = null;
        } else {
            powers = null;
            int levels = 32 - Integer.numberOfLeadingZeros(n);
            squares = new double[levels][];
            squares[0] = p;
            for (int j = 1; j < levels; j++) {
                squares[j] = new double[q * q];
                matMul(squares[j - 1], 0, squares[j - 1], squares[j], 0);
            }
        }
    }

    /**
     * The "stay" chain: keep the state with probability {@code stay}, else move to one of the other
     * q-1 states uniformly; started from the uniform law. q = 2 is a binary Markov chain, q &gt; 2 a
     * Potts chain.
     *
     * @param n    positions, at least 1
     * @param q    states, at least 2
     * @param stay the probability of keeping the state, in [0, 1]
     * @return the chain
     */
    public static MarkovChain stay(int n, int q, double stay) {
        if (q < 2) throw new IllegalArgumentException("a chain needs q >= 2 states, got " + q);
        if (!(stay >= 0 && stay <= 1)) throw new IllegalArgumentException("stay must be in [0, 1], got " + stay);
        String description = (q == 2 ? "markov" : "potts") + "(n=" + n + ", q=" + q + ", stay=" + stay + ")";
        if (q >= CLOSED_FORM_MIN_Q || (long) n * q > TABLE_LIMIT) return new MarkovChain(n, q, stay, description);
        double[][] t = new double[q][q];
        for (int a = 0; a < q; a++) for (int b = 0; b < q; b++) t[a][b] = a == b ? stay : (1 - stay) / (q - 1);
        double[] init = new double[q];
        java.util.Arrays.fill(init, 1.0 / q);
        return new MarkovChain(n, t, init, description);
    }

    /**
     * From this q on, the stay chain uses its closed form: the general tables cost O(q^3) to build
     * (minutes at q = 4096) and O(n q^2) or O(q^2 log n) memory; the closed form costs O(q) a query
     * and nothing to build. (Smaller chains keep the tables, which the CUDA kernel reads.)
     */
    static final int CLOSED_FORM_MIN_Q = 64;

    private MarkovChain(int n, int q, double stay, String description) {
        if (n < 1) throw new IllegalArgumentException("chain needs n >= 1, got " + n);
        this.n = n;
        this.q = q;
        this.description = description;
        this.closedForm = true;
        this.lambda = stay - (1 - stay) / (q - 1);
        this.initialAt = null;
        this.powers = null;
        this.squares = null;
    }

    /** The stay chain in closed form whatever its size (for tests that compare the two forms). */
    static MarkovChain closedFormStay(int n, int q, double stay) {
        MarkovChain tabulated = stay(1, q, stay); // validates q and stay
        return new MarkovChain(n, q, stay, tabulated.describe().replace("n=1,", "n=" + n + ",") + " closed form");
    }

    /** True when the chain is evaluated in closed form (no tables; no CUDA kernel then). */
    public boolean closedForm() {
        return closedForm;
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public int alphabet() {
        return q;
    }

    @Override
    public String describe() {
        return description;
    }

    /** {@return for backends: a copy of the n x q table pi P^t (row t = law of X_t with nothing pinned); null in closed form} */
    public double[] initialLaws() {
        return initialAt == null ? null : initialAt.clone();
    }

    /**
     * For backends: a copy of the n x q x q table of powers P^d (entry d q^2 + a q + b = P^d(a, b)), or
     * null when the chain is too long to tabulate (then {@link #squarePowers} are used per query).
     */
    public double[] powerTable() {
        return powers == null ? null : powers.clone();
    }

    /**
     * For backends: P^(2^j) for j = 0 .. levels-1 (q x q each, concatenated), the factors of the binary
     * powering used when {@link #powerTable} is null; null when the table exists.
     */
    public double[] squarePowers() {
        if (squares == null) return null;
        double[] out = new double[squares.length * q * q];
        for (int j = 0; j < squares.length; j++) System.arraycopy(squares[j], 0, out, j * q * q, q * q);
        return out;
    }

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        if (closedForm) {
            closedFormConditionals(batch, from, to, out);
            return;
        }
        double[] scratch = powers == null ? new double[3 * q] : null;
        for (int j = from; j < to; j++) {
            Branch br = batch.context(j);
            Order order = br.order();
            int pos = batch.position(j), k = batch.pinned(j);
            int l = order.pinnedBefore(pos, k);
            int r = order.pinnedAfter(pos, k);
            int o = j * q;
            // Left factor: law of X_pos given the left neighbour (or the start of the chain).
            if (l < 0) {
                System.arraycopy(initialAt, pos * q, out, o, q);
            } else if (powers != null) {
                System.arraycopy(powers, (pos - l) * q * q + br.value(l) * q, out, o, q);
            } else {
                rowOfPower(br.value(l), pos - l, scratch, out, o);
            }
            // Right factor: probability of reaching the right neighbour's value.
            if (r >= 0) {
                int v = br.value(r), dist = r - pos;
                if (powers != null) {
                    int base = dist * q * q + v;
                    for (int x = 0; x < q; x++) out[o + x] *= powers[base + x * q];
                } else {
                    columnOfPower(v, dist, scratch);
                    for (int x = 0; x < q; x++) out[o + x] *= scratch[2 * q + x];
                }
            }
            double s = 0;
            for (int x = 0; x < q; x++) s += out[o + x];
            if (s > 0) {
                for (int x = 0; x < q; x++) out[o + x] /= s;
            } else {
                for (int x = 0; x < q; x++) out[o + x] = 0; // impossible context
            }
        }
    }

    /**
     * The stay chain: X_pos is proportional to P^(pos-l)(x_l, x) P^(r-pos)(x, x_r) (uniform when a
     * neighbour is missing). Each factor takes one value at its neighbour's state and another
     * elsewhere, so a query costs O(q).
     */
    private void closedFormConditionals(ConditionalQueries batch, int from, int to, double[] out) {
        double uniform = 1.0 / q;
        for (int j = from; j < to; j++) {
            Branch br = batch.context(j);
            Order order = br.order();
            int pos = batch.position(j), k = batch.pinned(j);
            int l = order.pinnedBefore(pos, k);
            int r = order.pinnedAfter(pos, k);
            int o = j * q;
            java.util.Arrays.fill(out, o, o + q, 1.0);
            if (l >= 0) factor(out, o, br.value(l), pos - l);
            if (r >= 0) factor(out, o, br.value(r), r - pos);
            double s = 0;
            for (int x = 0; x < q; x++) s += out[o + x];
            if (s > 0) {
                for (int x = 0; x < q; x++) out[o + x] /= s;
            } else if (l < 0 && r < 0) {
                java.util.Arrays.fill(out, o, o + q, uniform);
            } else {
                java.util.Arrays.fill(out, o, o + q, 0.0); // impossible context (e.g. stay = 1 and two pinned values differ)
            }
        }
    }

    /** Multiplies out[o + x] by P^d(v, x) = P^d(x, v) (P is symmetric). */
    private void factor(double[] out, int o, int v, int d) {
        double ld = Math.pow(lambda, d);
        double same = Math.max(0.0, 1.0 / q + ld * (1 - 1.0 / q)); // 0 at lambda = -1/(q-1), d = 1
        double other = Math.max(0.0, (1 - ld) / q); // 1 - lambda^d may round below 0
        double atV = out[o + v];
        for (int x = 0; x < q; x++) out[o + x] *= other;
        out[o + v] = atV * same;
    }

    /** out[o..o+q) = e_u P^d by binary powering; scratch holds 3q doubles. */
    private void rowOfPower(int u, int d, double[] scratch, double[] out, int o) {
        double[] m = scratch;
        int v = 0, w = q; // two vectors in scratch, swapped by offset
        java.util.Arrays.fill(m, 0, q, 0.0);
        m[u] = 1;
        for (int j = 0; d > 0; j++, d >>>= 1) {
            if ((d & 1) != 0) {
                vecMat(m, v, squares[j], 0, m, w);
                int t = v; v = w; w = t;
            }
        }
        System.arraycopy(m, v, out, o, q);
    }

    /** scratch[2q..3q) = P^d e_v (column v of P^d); uses scratch[0..2q) as workspace. */
    private void columnOfPower(int vState, int d, double[] scratch) {
        int c = 0, w = q;
        java.util.Arrays.fill(scratch, 0, q, 0.0);
        scratch[vState] = 1;
        for (int j = 0; d > 0; j++, d >>>= 1) {
            if ((d & 1) != 0) {
                double[] m = squares[j];
                for (int a = 0; a < q; a++) {
                    double s = 0;
                    for (int b = 0; b < q; b++) s += m[a * q + b] * scratch[c + b];
                    scratch[w + a] = s;
                }
                int t = c; c = w; w = t;
            }
        }
        System.arraycopy(scratch, c, scratch, 2 * q, q);
    }

    private void vecMat(double[] v, int vo, double[] m, int mo, double[] out, int oo) {
        for (int b = 0; b < q; b++) {
            double s = 0;
            for (int a = 0; a < q; a++) s += v[vo + a] * m[mo + a * q + b];
            out[oo + b] = s;
        }
    }

    private void matMul(double[] x, int xo, double[] y, double[] out, int oo) {
        for (int a = 0; a < q; a++) {
            for (int b = 0; b < q; b++) {
                double s = 0;
                for (int c = 0; c < q; c++) s += x[xo + a * q + c] * y[c * q + b];
                out[oo + a * q + b] = s;
            }
        }
    }
}
