package io.autospec.ar.models;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.autospec.ar.ArTesting;
import io.autospec.ar.ArZoo;
import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalBatch;
import io.autospec.ar.Order;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * {@link MarkovChain} against enumeration of pi(x0) prod P(x_i, x_{i+1}) at small n (power-table
 * regime), and against directly iterated matrix-vector products in the repeated-squaring regime.
 */
class MarkovChainTest {

    /** Markov (q = 2) and Potts (q = 3) "stay" chains, n = 5..8. */
    @Test
    void stayChainsMatchEnumeration() {
        SplittableRandom rnd = new SplittableRandom(401);
        for (int q = 2; q <= 3; q++) {
            for (int n = 5; n <= 8; n++) {
                for (double stay : new double[] {0.95, 0.6, 0.1}) {
                    ArZoo.Model model = ArZoo.stay(n, q, stay);
                    ArTesting.Coverage c = ArTesting.checkConditionals(model.oracle(), model.law(), rnd, 8, false, 1e-12);
                    assertTrue(c.queries() > 30);
                }
            }
        }
    }

    /**
     * The closed form of the stay chain (P^d = 1/q + lambda^d (I - 1/q), uniform start) against
     * enumeration, including stay = 0 (lambda = -1/(q-1): powers alternate) and stay = 1 (lambda = 1).
     */
    @Test
    void closedFormStayChainsMatchEnumeration() {
        SplittableRandom rnd = new SplittableRandom(403);
        for (int q = 2; q <= 3; q++) {
            for (int n = 5; n <= 7; n++) {
                for (double stay : new double[] {0.95, 0.6, 0.1, 0.0, 1.0}) {
                    ArZoo.Model model = ArZoo.stay(n, q, stay);
                    MarkovChain closed = MarkovChain.closedFormStay(n, q, stay);
                    assertTrue(closed.closedForm());
                    ArTesting.Coverage c = ArTesting.checkConditionals(closed, model.law(), rnd, 8, false, 1e-12);
                    assertTrue(c.queries() > 30);
                }
            }
        }
    }

    /**
     * Where the CLI's chains switch to the closed form (q &gt;= 64, or n q beyond the table limit),
     * it agrees with the tabulated general chain on random contexts (q = 64, 80); and
     * {@code potts:q=4096} (minutes of O(q^3) when it built q x q tables) is built without tables.
     */
    @Test
    void closedFormAgreesWithTablesAtLargeQ() {
        SplittableRandom rnd = new SplittableRandom(404);
        for (int q : new int[] {64, 80}) {
            int n = 12;
            double stay = 0.3;
            MarkovChain closed = MarkovChain.stay(n, q, stay);
            assertTrue(closed.closedForm());
            double[][] t = new double[q][q];
            for (int a = 0; a < q; a++) for (int b = 0; b < q; b++) t[a][b] = a == b ? stay : (1 - stay) / (q - 1);
            double[] pi = new double[q];
            java.util.Arrays.fill(pi, 1.0 / q);
            MarkovChain tables = new MarkovChain(n, t, pi, "tabulated");
            assertTrue(tables.powerTable() != null);
            for (int trial = 0; trial < 20; trial++) {
                Order order = ArTesting.prepared(closed, ArTesting.randomOrder(trial, n, rnd));
                int[] x = new int[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextInt(q);
                int len = rnd.nextInt(n) + 1;
                List<ArTesting.Query> queries = new ArrayList<>();
                for (int k = 0; k <= Math.min(len, n - 1); k++) {
                    for (int r = k; r < n; r++) queries.add(new ArTesting.Query(ArTesting.branch(closed, order, x, len), order.position(r), k));
                }
                double[][] a = ArTesting.evaluate(closed, queries), b = ArTesting.evaluate(tables, queries);
                for (int j = 0; j < a.length; j++) {
                    for (int v = 0; v < q; v++) assertEquals(b[j][v], a[j][v], 1e-12, "q " + q + ", query " + j + ", value " + v);
                }
            }
        }
        MarkovChain big = MarkovChain.stay(100, 4096, 0.5);
        assertTrue(big.closedForm());
        assertEquals(null, big.powerTable());
        assertEquals(null, big.squarePowers());
    }

    /**
     * A general, non-symmetric matrix with zero entries and a non-uniform initial law with a zero:
     * conditionals at contexts drawn from mu match enumeration exactly.
     */
    @Test
    void generalChainWithZerosMatchesEnumeration() {
        double[][] t = {{0.5, 0.5, 0.0}, {0.1, 0.2, 0.7}, {0.0, 0.6, 0.4}};
        double[] pi = {0.3, 0.7, 0.0};
        SplittableRandom rnd = new SplittableRandom(402);
        for (int n = 5; n <= 7; n++) {
            ArZoo.Model model = ArZoo.chain(n, t, pi, "general(n=" + n + ")");
            ArTesting.Coverage drawn = ArTesting.checkConditionals(model.oracle(), model.law(), rnd, 30, false, 1e-12);
            assertEquals(0, drawn.impossibleContexts());
            assertTrue(drawn.determined() > 0, "expected some determined positions, got " + drawn);
        }
    }

    /**
     * Contexts of probability zero for the chain with zeros (uniformly drawn contexts). The chain reads
     * only the nearest pinned neighbours l &lt; pos &lt; r: it returns the law of X_pos for a chain
     * started at x_l (or at pi when there is no left neighbour) and conditioned on X_r = x_r, and
     * zeros exactly when that is impossible. A context made impossible elsewhere (x_l unreachable
     * from pi, or two inconsistent pins beyond the neighbours) is not detected: the oracle returns
     * the neighbour formula instead of the zeros the SPI asks for. This is harmless for sampling
     * (such a context only follows a value of zero mass, which already makes log mu = -infinity)
     * and is what is checked here: possible contexts match enumeration exactly; impossible ones give
     * zeros or the neighbour conditional, and zeros whenever the neighbours alone are inconsistent.
     */
    @Test
    void contextsOfProbabilityZero() {
        // The chain with zeros above, and an upper-triangular one (states never decrease).
        double[][][] ts = {{{0.5, 0.5, 0.0}, {0.1, 0.2, 0.7}, {0.0, 0.6, 0.4}}, {{0.5, 0.5, 0.0}, {0.0, 0.7, 0.3}, {0.0, 0.0, 1.0}}};
        double[][] pis = {{0.3, 0.7, 0.0}, {0.6, 0.4, 0.0}};
        double[] uniform = {1 / 3.0, 1 / 3.0, 1 / 3.0}; // both chains give every state mass at every time from it
        SplittableRandom rnd = new SplittableRandom(405);
        int possible = 0, locallyImpossible = 0, impossible = 0, zeros = 0;
        for (int n = 5; n <= 7; n++) for (int c = 0; c < 2; c++) {
            double[][] t = ts[c];
            double[] pi = pis[c];
            ArZoo.Model model = ArZoo.chain(n, t, pi, "chain" + c + "(n=" + n + ")");
            double[] fromAnyState = ArZoo.chain(n, t, uniform, "uniform-start").law();
            for (int rep = 0; rep < 40; rep++) {
                Order order = ArTesting.prepared(model.oracle(), ArTesting.randomOrder(rep, n, rnd));
                int[] x = new int[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextInt(3);
                int k = 1 + rnd.nextInt(n - 1);
                Branch b = ArTesting.branch(model.oracle(), order, x, k);
                List<ArTesting.Query> queries = new ArrayList<>();
                for (int r = k; r < n; r++) queries.add(new ArTesting.Query(b, order.position(r), k));
                double[][] got = ArTesting.evaluate(model.oracle(), queries);
                for (int j = 0; j < got.length; j++) {
                    int pos = queries.get(j).position();
                    double[] want = ArTesting.conditional(model.law(), n, 3, order, x, k, pos);
                    int l = order.pinnedBefore(pos, k), r = order.pinnedAfter(pos, k);
                    double[] local = l < 0
                            ? ArTesting.conditionalGiven(model.law(), n, 3, r < 0 ? new int[0] : new int[] {r}, x, pos)
                            : ArTesting.conditionalGiven(fromAnyState, n, 3, r < 0 ? new int[] {l} : new int[] {l, r}, x, pos);
                    String where = model.name() + " order " + java.util.Arrays.toString(order.sigma()) + " x "
                            + java.util.Arrays.toString(x) + " k " + k + " pos " + pos;
                    if (sum(want) > 0) {
                        possible++;
                        assertArrayEquals(want, got[j], 1e-12, where);
                    } else if (sum(local) == 0) {
                        locallyImpossible++;
                        assertArrayEquals(new double[3], got[j], 0.0, where);
                    } else {
                        impossible++;
                        if (sum(got[j]) == 0) zeros++;
                        else assertArrayEquals(local, got[j], 1e-12, where);
                    }
                }
            }
        }
        assertTrue(possible > 50 && locallyImpossible > 10 && impossible > 10,
                "coverage: possible " + possible + ", locally impossible " + locallyImpossible + ", impossible "
                        + impossible + " (zeros " + zeros + ")");
    }

    private static double sum(double[] v) {
        double s = 0;
        for (double d : v) s += d;
        return s;
    }

    /** Random dense 2x2 and 3x3 chains with random initial laws. */
    @Test
    void randomChainsMatchEnumeration() {
        SplittableRandom rnd = new SplittableRandom(403);
        for (int rep = 0; rep < 6; rep++) {
            int q = 2 + rep % 2, n = 5 + rep % 4;
            double[][] t = new double[q][q];
            double[] pi = new double[q];
            for (int a = 0; a < q; a++) {
                double s = 0;
                for (int b = 0; b < q; b++) s += t[a][b] = rnd.nextDouble();
                for (int b = 0; b < q; b++) t[a][b] /= s;
            }
            double s = 0;
            for (int a = 0; a < q; a++) s += pi[a] = rnd.nextDouble();
            for (int a = 0; a < q; a++) pi[a] /= s;
            ArZoo.Model model = ArZoo.chain(n, t, pi, "random" + rep);
            ArTesting.checkConditionals(model.oracle(), model.law(), rnd, 15, false, 1e-12);
        }
    }

    // ---- the repeated-squaring regime (q^2 n > 2^23) ----

    private static final int Q = 64;

    /**
     * 0.998 * (shift by one state) + 0.002 * a random row: P^d keeps mass 0.998^d on state u + d mod 64,
     * so even at d ~ 2000 the powers are far from stationary and depend on every bit of d.
     */
    private static double[][] slowMixingMatrix(SplittableRandom rnd) {
        double[][] t = new double[Q][Q];
        for (int a = 0; a < Q; a++) {
            double s = 0;
            double[] row = new double[Q];
            for (int b = 0; b < Q; b++) s += row[b] = rnd.nextDouble() * rnd.nextDouble();
            for (int b = 0; b < Q; b++) t[a][b] = 0.002 * row[b] / s;
            t[a][(a + 1) % Q] += 0.998;
        }
        return t;
    }

    /** e_u P^d (or pi P^d) by d vector-matrix products. */
    private static double[] leftDirect(double[] start, double[][] t, int d) {
        double[] v = start.clone();
        for (int s = 0; s < d; s++) {
            double[] w = new double[Q];
            for (int a = 0; a < Q; a++) {
                if (v[a] == 0) continue;
                for (int b = 0; b < Q; b++) w[b] += v[a] * t[a][b];
            }
            v = w;
        }
        return v;
    }

    /** P^d e_v by d matrix-vector products. */
    private static double[] rightDirect(int vState, double[][] t, int d) {
        double[] c = new double[Q];
        c[vState] = 1;
        for (int s = 0; s < d; s++) {
            double[] w = new double[Q];
            for (int a = 0; a < Q; a++) {
                double acc = 0;
                for (int b = 0; b < Q; b++) acc += t[a][b] * c[b];
                w[a] = acc;
            }
            c = w;
        }
        return c;
    }

    /** The conditional of position pos given its nearest pinned neighbours, computed directly. */
    private static double[] direct(double[][] t, double[] pi, int[] x, int pos, int l, int r) {
        double[] start;
        int d;
        if (l < 0) {
            start = pi;
            d = pos;
        } else {
            start = new double[Q];
            start[x[l]] = 1;
            d = pos - l;
        }
        double[] out = leftDirect(start, t, d);
        if (r >= 0) {
            double[] col = rightDirect(x[r], t, r - pos);
            for (int a = 0; a < Q; a++) out[a] *= col[a];
        }
        double s = 0;
        for (double v : out) s += v;
        for (int a = 0; a < Q; a++) out[a] /= s;
        return out;
    }

    /**
     * q = 64, n = 2100 (q^2 n = 8.6e6 &gt; 2^23: repeated squaring) and the same matrix at n = 2048
     * (q^2 n = 2^23 exactly: power table). A few queries with near and far neighbours (distances up
     * to ~2000, so every bit of the exponent matters) agree with direct iterated products in both
     * regimes. Contexts are drawn from the chain itself (forward simulation).
     */
    @Test
    void repeatedSquaringRegimeMatchesDirectPowers() {
        SplittableRandom rnd = new SplittableRandom(404);
        double[][] t = slowMixingMatrix(rnd);
        double[] pi = new double[Q];
        double s = 0;
        for (int a = 0; a < Q; a++) s += pi[a] = rnd.nextDouble() * (a < 8 ? 10 : 1);
        for (int a = 0; a < Q; a++) pi[a] /= s;

        for (int n : new int[] {2100, 2048}) {
            MarkovChain chain = new MarkovChain(n, t, pi, "slow64(n=" + n + ")");
            // x ~ mu by forward simulation.
            int[] x = new int[n];
            x[0] = sample(pi, rnd);
            for (int i = 1; i < n; i++) x[i] = sample(t[x[i - 1]], rnd);
            // Orders that leave long gaps: pin a few far-apart positions first.
            int[][] orders = {
                order(n, new int[] {n - 20, 15}, rnd),    // neighbours ~1000 away on both sides
                order(n, new int[] {1}, rnd),             // only a left neighbour far away
                order(n, new int[] {n - 3}, rnd),         // only a right neighbour far away
                order(n, new int[] {700, 1400, 1050}, rnd),
            };
            int[][] probes = {{1000, 2}, {2000, 1}, {5, 1}, {1300, 3}};
            List<ArTesting.Query> queries = new ArrayList<>();
            List<int[]> expectAt = new ArrayList<>();
            for (int o = 0; o < orders.length; o++) {
                int[] sigma = orders[o];
                Order order = Order.of(o, sigma);
                Branch b = ArTesting.branch(chain, order, x, probes[o][1]);
                int pos = probes[o][0] % n;
                if (order.rank(pos) < probes[o][1]) continue;
                queries.add(new ArTesting.Query(b, pos, probes[o][1]));
                // k = 0 as well: the marginal pi P^pos
                queries.add(new ArTesting.Query(b, pos, 0));
                expectAt.add(new int[] {o, pos, probes[o][1]});
                expectAt.add(new int[] {o, pos, 0});
            }
            double[][] got = ArTesting.evaluate(chain, queries);
            assertEquals(8, got.length);
            for (int j = 0; j < got.length; j++) {
                Order order = queries.get(j).branch().order();
                int pos = expectAt.get(j)[1], k = expectAt.get(j)[2];
                int l = -1, r = -1;
                for (int i = pos - 1; i >= 0 && l < 0; i--) if (order.rank(i) < k) l = i;
                for (int i = pos + 1; i < n && r < 0; i++) if (order.rank(i) < k) r = i;
                double[] want = direct(t, pi, x, pos, l, r);
                for (int a = 0; a < Q; a++) {
                    assertEquals(want[a], got[j][a], 1e-10, "n=" + n + " query " + j + " pos " + pos + " l " + l + " r " + r + " state " + a);
                }
            }
        }
    }

    private static int sample(double[] p, SplittableRandom rnd) {
        double u = rnd.nextDouble(), c = 0;
        for (int a = 0; a < p.length; a++) {
            c += p[a];
            if (u < c) return a;
        }
        return p.length - 1;
    }

    /** An order starting with the given positions, the rest shuffled. */
    private static int[] order(int n, int[] first, SplittableRandom rnd) {
        int[] rest = new int[n - first.length];
        int i = 0;
        outer:
        for (int p = 0; p < n; p++) {
            for (int f : first) if (f == p) continue outer;
            rest[i++] = p;
        }
        for (int j = rest.length - 1; j > 0; j--) {
            int k = rnd.nextInt(j + 1);
            int tmp = rest[j];
            rest[j] = rest[k];
            rest[k] = tmp;
        }
        int[] sigma = new int[n];
        System.arraycopy(first, 0, sigma, 0, first.length);
        System.arraycopy(rest, 0, sigma, first.length, rest.length);
        return sigma;
    }

    @Test
    void rejectsBadMatrices() {
        assertThrows(IllegalArgumentException.class, () -> new MarkovChain(4, new double[][] {{0.5, 0.6}, {0.5, 0.5}}, new double[] {0.5, 0.5}, "x"));
        assertThrows(IllegalArgumentException.class, () -> new MarkovChain(4, new double[][] {{0.5, 0.5}, {0.5, 0.5}}, new double[] {0.5, 0.6}, "x"));
        assertThrows(IllegalArgumentException.class, () -> new MarkovChain(4, new double[][] {{-0.5, 1.5}, {0.5, 0.5}}, new double[] {0.5, 0.5}, "x"));
        assertThrows(IllegalArgumentException.class, () -> MarkovChain.stay(4, 1, 0.5));
    }

    /**
     * The model's rows are checked with the same constant as an oracle's output rows
     * ({@link ConditionalBatch#NORMALISATION_TOLERANCE}): within it a row is renormalised, beyond it
     * the model is refused, for the transition rows and the initial law alike.
     */
    @Test
    void rowsUseTheLibrarysOneTolerance() {
        double tol = ConditionalBatch.NORMALISATION_TOLERANCE;
        double[] uniform = {0.5, 0.5};
        MarkovChain ok = new MarkovChain(3, new double[][] {{0.9 + tol / 2, 0.1}, {0.2, 0.8}}, new double[] {0.5 + tol / 2, 0.5}, "near");
        assertEquals(1.0, ok.powerTable()[4] + ok.powerTable()[5], 1e-15, "row renormalised");
        IllegalArgumentException row = assertThrows(IllegalArgumentException.class,
                () -> new MarkovChain(3, new double[][] {{0.9 + 2 * tol, 0.1}, {0.2, 0.8}}, uniform, "off"));
        assertTrue(row.getMessage().contains("row 0 of P sums to"), row.getMessage());
        IllegalArgumentException init = assertThrows(IllegalArgumentException.class,
                () -> new MarkovChain(3, new double[][] {{0.9, 0.1}, {0.2, 0.8}}, new double[] {0.5, 0.5 + 2 * tol}, "off"));
        assertTrue(init.getMessage().contains("initial law sums to"), init.getMessage());
    }
}
