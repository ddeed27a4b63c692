package io.autospec.ar.models.det;

import io.autospec.ar.Branch;
import io.autospec.ar.ConditionalQueries;
import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.Order;
import io.autospec.core.OracleException;

/**
 * The conditional-marginal oracle of a determinantal process on N items (q = 2: value 1 = item in
 * the sample) given by its marginal kernel K, any square matrix with P(A ⊆ Y) = det K_A. For
 * disjoint A, B, P(A ⊆ Y, B ∩ Y = ∅) = |det(K_{A∪B} − I_B)|, so with the items C = A ∪ B pinned,
 * P(i ∈ Y | ·) = K_ii − K_{i,C} (K_C − I_B)^{-1} K_{C,i}: a Schur complement.
 *
 * <p><b>The factor.</b> Write M for K with rows and columns in the order's step order and 1
 * subtracted on the diagonal of every excluded item. A query (branch, i, k) asks for the diagonal
 * entry at item i of the Schur complement of M's leading k x k block, which after k steps of LU
 * elimination without pivoting is M_ii − Σ_{s&lt;k} L_{i,s} U_{s,i}: O(k) work. Row s of the
 * factor (column s of L and row s of U, over the steps s..N-1) depends only on the values pinned at
 * steps 0..s, and its pivot U_ss is the conditional probability p of item σ(s) (minus 1 when it
 * was excluded), i.e. ± the probability of the value drawn: nonzero, so no pivoting is needed.
 * Extending a branch by one step costs one row, O(N s).
 *
 * <p><b>Sharing.</b> Rows live in a binary trie per sample (the order's attachment), one node per
 * distinct prefix of values: every branch with the same first s+1 values reads the same row s,
 * so the trials of a fallback share the rows of their common prefix exactly as they share its
 * segments, and a branch that extends another computes only its new rows. Rows are deterministic
 * functions of the prefix, so which thread computes one does not matter. Memory: a row of step s
 * holds N − s doubles (twice that for a non-symmetric K); the trie lives as long as its sample.
 *
 * <p><b>Round-off.</b> A computed probability within the tolerance {@link #tolerance()} =
 * max({@link #CLAMP}, N · 1e-11) of [0, 1] is clamped, and one within it of 0 or 1 is snapped to it
 * (so a value drawn with it has a pivot of at least the tolerance, and a draft value of true
 * probability zero is recognised as impossible); beyond that the oracle throws an
 * {@link OracleException} naming the query. The tolerance grows with N because elimination
 * round-off does: each conditional is an N-term sum M_ii − Σ_{s&lt;k} L_{i,s} U_{s,i} (and each factor
 * row the same), whose accumulated round-off grows with the number of terms; a fixed 1e-9 was too
 * tight at N = 4096 (Aztec order 32), where computed probabilities reached 1 + 1.4e-9, while
 * N · 1e-11 = 4.1e-8 there still separates round-off from a kernel that is not a marginal kernel
 * (tests: DeterminantalOracleTest, a value just inside the tolerance is clamped, one just beyond
 * it is an error naming the query, at N = 2 and N = 2000). A prefix holding a
 * value of probability zero (a draft may) is an impossible context: its queries answer (0, 0).
 *
 * <p><b>Numerically impossible prefixes.</b> A guess (a Jacobi iterate, a draft) may pin a value
 * whose true probability is 0 but whose computed probability is round-off just beyond the
 * tolerance (Aztec order 32: an item computed 0.9999985 in and pinned out, pivot -1.5e-6); every
 * later row then divides by that pivot and the answers leave [0, 1] by far. The round-off allowed on
 * a prefix is therefore the tolerance amplified by its smallest pivot ({@link #withinRoundOff}:
 * tolerance / min(1, smallest pivot)), and a value beyond that is an error only on a prefix whose
 * pivots are all at least sqrt(tolerance)
 * ({@link #fragile}); on a fragile prefix it marks the prefix impossible, and its queries answer
 * (0, 0). Exactness does not depend on this: a certified (sequential) prefix holds only values
 * that were drawn, and if one of them is fragile and leads to such an answer, the sampler stops with
 * its "impossible context after positive masses" error naming the query, as before.
 */
public class DeterminantalOracle implements ConditionalOracle {
    /** Round-off tolerance on a computed probability for N up to 100 (see class comment). */
    public static final double CLAMP = 1e-9;

    private final int n;
    private final double[] kernel;    // K, row-major
    private final double[] transpose; // K^T, row-major (null when K is symmetric)
    private final String description;
    private final double tolerance;
    /** Planted wrong variant (tests only): excluded items are not conditioned on. */
    private final boolean ignoreExclusions;

    private DeterminantalOracle(DeterminantalOracle base, boolean ignoreExclusions) {
        this.n = base.n;
        this.kernel = base.kernel;
        this.transpose = base.transpose;
        this.description = base.description + (ignoreExclusions ? " [planted: ignores exclusions]" : "");
        this.tolerance = base.tolerance;
        this.ignoreExclusions = ignoreExclusions;
    }

    /**
     * A planted WRONG variant for power checks: its conditionals condition on the included items only,
     * as if the excluded ones were never pinned. Not a sampler of this process. Package-private, as
     * every planted variant: the tests of this package reach it, library users cannot.
     */
    DeterminantalOracle plantedIgnoringExclusions() {
        return new DeterminantalOracle(this, true);
    }

    /**
     * A process with marginal kernel {@code k} (N x N). When {@code symmetric}, K must be symmetric
     * to within 1e-9 and is symmetrised, which halves the factor's memory and work.
     */
    public DeterminantalOracle(double[][] k, boolean symmetric, String description) {
        this.n = k.length;
        if (n < 1) throw new IllegalArgumentException("a determinantal process needs at least one item");
        this.kernel = new double[n * n];
        for (int i = 0; i < n; i++) {
            if (k[i].length != n) throw new IllegalArgumentException("kernel row " + i + " has " + k[i].length + " entries, expected " + n);
            for (int j = 0; j < n; j++) {
                double v = k[i][j];
                if (!Double.isFinite(v)) throw new IllegalArgumentException("kernel entry (" + i + ", " + j + ") is " + v);
                kernel[i * n + j] = v;
            }
        }
        if (symmetric) {
            for (int i = 0; i < n; i++) {
                for (int j = i + 1; j < n; j++) {
                    double a = kernel[i * n + j], b = kernel[j * n + i];
                    if (Math.abs(a - b) > 1e-9) throw new IllegalArgumentException("kernel is not symmetric at (" + i + ", " + j + "): " + a + " vs " + b);
                    kernel[i * n + j] = kernel[j * n + i] = 0.5 * (a + b);
                }
            }
            transpose = null;
        } else {
            transpose = new double[n * n];
            for (int i = 0; i < n; i++) for (int j = 0; j < n; j++) transpose[j * n + i] = kernel[i * n + j];
        }
        this.description = description;
        this.tolerance = Math.max(CLAMP, n * 1e-11);
        this.ignoreExclusions = false;
    }

    @Override
    public int length() {
        return n;
    }

    @Override
    public int alphabet() {
        return 2;
    }

    @Override
    public String describe() {
        return description;
    }

    /** The round-off tolerance on computed probabilities: max(CLAMP, N · 1e-11). */
    public double tolerance() {
        return tolerance;
    }

    /** K_ij (for tests and anchors). */
    public double kernel(int i, int j) {
        return kernel[i * n + j];
    }

    /**
     * Whether this is the planted wrong variant ({@link #plantedIgnoringExclusions()}): a device
     * implementation must reproduce it too, so that the same power checks can run there.
     */
    public boolean ignoresExclusions() {
        return ignoreExclusions;
    }

    /** Whether K was declared symmetric. */
    public boolean symmetric() {
        return transpose == null;
    }

    /** A fresh trie of factor rows for this sample. */
    @Override
    public Object prepare(Order order) {
        return new Node(0, null, null, 1, false, 1);
    }

    /**
     * One node of the trie: the prefix of its depth d. For d &ge; 1 it holds row d-1 of the factor:
     * u[t] = U_{d-1, d-1+t}, l[t] = L_{d-1+t, d-1} (null when K is symmetric: then L = U^T / pivot).
     */
    static final class Node {
        final int depth;
        final double[] u, l;
        final double pivot;
        final boolean impossible; // the prefix has probability zero
        /** The smallest |pivot| of rows 0..depth-1 (1 at the root): how far round-off may be amplified. */
        final double minPivot;
        private final Node[] children = new Node[2];

        Node(int depth, double[] u, double[] l, double pivot, boolean impossible, double minPivot) {
            this.depth = depth;
            this.u = u;
            this.l = l;
            this.pivot = pivot;
            this.impossible = impossible;
            this.minPivot = minPivot;
        }

        /** L_{step, depth-1} for a step &ge; depth-1. */
        double lower(int step) {
            int t = step - (depth - 1);
            return l != null ? l[t] : (t == 0 ? 1 : u[t] / pivot);
        }
    }

    /** Per-thread scratch: the values and trie path of the branch last walked. */
    private static final class Walk {
        int[] values;
        Node[] path;
        Branch branch;
        int depth;
    }

    private final ThreadLocal<Walk> walks = ThreadLocal.withInitial(Walk::new);

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        Walk w = walks.get();
        if (w.values == null || w.values.length < n) {
            w.values = new int[n];
            w.path = new Node[n + 1];
        }
        w.branch = null;
        try {
            for (int j = from; j < to; j++) {
                Branch br = batch.context(j);
                int k = batch.pinned(j), pos = batch.position(j);
                Order order = br.order();
                int rank = order.rank(pos);
                if (rank < k) { // already pinned: its own value
                    int v = br.valueAtRank(rank);
                    out[2 * j] = 1 - v;
                    out[2 * j + 1] = v;
                    continue;
                }
                // Queries of one (branch, k) group, and of one branch at growing k, reuse the walk.
                if (br != w.branch || k < w.depth) {
                    w.branch = br;
                    w.depth = 0;
                    w.path[0] = (Node) order.attachment();
                }
                if (k > w.depth) {
                    br.copyValues(w.depth, k, w.values, w.depth);
                    if (!descend(order, w, k)) {
                        out[2 * j] = 0;
                        out[2 * j + 1] = 0;
                        continue;
                    }
                } else if (w.path[w.depth].impossible) {
                    out[2 * j] = 0;
                    out[2 * j + 1] = 0;
                    continue;
                }
                double p = kernel[pos * n + pos];
                Node[] path = w.path;
                for (int s = 0; s < k; s++) {
                    Node ns = path[s + 1];
                    if (ns.u == null) continue; // (planted variant) an unpinned step
                    int t = rank - s;
                    p -= ns.lower(rank) * ns.u[t];
                }
                if (!withinRoundOff(p, path[k].minPivot)) {
                    if (!fragile(path[k].minPivot)) throw notAProbability(p, batch.describe(j));
                    out[2 * j] = 0; // a numerically impossible prefix (see the class comment)
                    out[2 * j + 1] = 0;
                    continue;
                }
                p = clampAndSnap(p);
                out[2 * j] = 1 - p;
                out[2 * j + 1] = p;
            }
        } finally {
            w.branch = null; // hold no branch or trie node between rounds
            java.util.Arrays.fill(w.path, 0, w.depth + 1, null);
            w.depth = 0;
        }
    }

    /** Walks (creating rows) from depth w.depth to k; false if the prefix is impossible. */
    private boolean descend(Order order, Walk w, int k) {
        Node node = w.path[w.depth];
        while (w.depth < k) {
            if (node.impossible) return false;
            int v = w.values[w.depth];
            node = child(order, w.path, node, v);
            w.path[++w.depth] = node;
        }
        return !node.impossible;
    }

    /** The child of {@code parent} (depth r) for value v at step r, computing row r if new. */
    private Node child(Order order, Node[] path, Node parent, int v) {
        synchronized (parent) {
            Node c = parent.children[v];
            if (c == null) {
                c = row(order, path, parent.depth, v);
                parent.children[v] = c;
            }
            return c;
        }
    }

    /** Row r of the factor, item σ(r) pinned to v; path[1..r] hold rows 0..r-1. */
    private Node row(Order order, Node[] path, int r, int v) {
        int c = order.position(r);
        int len = n - r;
        double[] u = new double[len];
        int cn = c * n;
        for (int t = 0; t < len; t++) u[t] = kernel[cn + order.position(r + t)];
        for (int s = 0; s < r; s++) {
            Node ns = path[s + 1];
            if (ns.u == null) continue;
            double coef = ns.lower(r);
            if (coef == 0) continue;
            double[] us = ns.u;
            int off = r - s;
            for (int t = 0; t < len; t++) u[t] -= coef * us[off + t];
        }
        double p = u[0];
        double parentMin = path[r] == null ? 1 : path[r].minPivot;
        if (!withinRoundOff(p, parentMin)) {
            if (!fragile(parentMin)) throw notAProbability(p, "step " + r + " (item " + c + ") of sample " + order.sample());
            return new Node(r + 1, null, null, 0, true, 0); // numerically impossible
        }
        double pe = clampAndSnap(p);
        double pv = v == 1 ? pe : 1 - pe;
        if (pv == 0) return new Node(r + 1, null, null, 0, true, 0);
        if (ignoreExclusions && v == 0) return new Node(r + 1, null, null, 0, false, parentMin);
        double pivot = v == 1 ? p : p - 1;
        u[0] = pivot;
        double[] l = null;
        if (transpose != null) {
            l = new double[len];
            l[0] = 1;
            for (int t = 1; t < len; t++) l[t] = transpose[cn + order.position(r + t)];
            for (int s = 0; s < r; s++) {
                Node ns = path[s + 1];
                if (ns.u == null) continue;
                double coef = ns.u[r - s]; // U_{s, r}
                if (coef == 0) continue;
                double[] ls = ns.l;
                int off = r - s;
                for (int t = 1; t < len; t++) l[t] -= coef * ls[off + t];
            }
            double inv = 1 / pivot;
            for (int t = 1; t < len; t++) l[t] *= inv;
        }
        return new Node(r + 1, u, l, pivot, false, Math.min(parentMin, Math.abs(pivot)));
    }

    /**
     * Whether a prefix whose smallest pivot is {@code minPivot} is too ill-conditioned for its
     * answers to be checked: below sqrt(tolerance) a pivot's own round-off (about the tolerance) is
     * amplified past the tolerance by the division, so a value beyond [0, 1] there says "this
     * prefix is (numerically) impossible", not "the kernel is wrong". Public so that a device
     * implementation applies the same rule.
     */
    public boolean fragile(double minPivot) {
        return minPivot < Math.sqrt(tolerance);
    }

    /**
     * Whether {@code p}, computed on a prefix whose smallest pivot is {@code minPivot}, is within
     * round-off of [0, 1]: the tolerance, amplified by the division by that pivot, i.e.
     * tolerance / min(1, minPivot). On a well-conditioned prefix (pivots near 1, the empty one
     * included) that is the tolerance itself; as the smallest pivot falls towards sqrt(tolerance)
     * (below which the prefix is {@link #fragile}) it grows towards sqrt(tolerance). Measured case:
     * an {@code auto} guess on Aztec order 32 (N = 4096, tolerance 4.1e-8), 93 pinned, smallest pivot
     * 1.5e-3, computed P(in) = 1 + 1.4e-7: round-off by this rule (bound 2.7e-5), a "not a
     * probability" error by the tolerance alone. Public so that a device implementation applies the
     * same rule.
     */
    public boolean withinRoundOff(double p, double minPivot) {
        double bound = tolerance / Math.min(1, minPivot);
        return p >= -bound && p <= 1 + bound;
    }

    /** Clamps a value accepted by {@link #withinRoundOff} into [0, 1] and snaps it (see {@link #snap}). */
    public double clampAndSnap(double p) {
        return snap(Math.max(0, Math.min(1, p)));
    }

    /** Clamps round-off within the tolerance of [0, 1] and snaps values within it of 0 or 1. */
    private double snap(double p) {
        if (p < tolerance) return 0;
        if (p > 1 - tolerance) return 1;
        return p;
    }

    /**
     * The error for a computed probability {@code p} beyond the round-off tolerance at {@code where}
     * (a query, or "step r (item c) of sample s" for a factor row); public so that a device
     * implementation reports exactly what this class does.
     */
    public OracleException notAProbability(double p, String where) {
        return new OracleException("determinantal oracle " + description + ": P(item in) = " + p + " at " + where
                + " is not a probability (beyond round-off " + tolerance + "): the kernel is not a valid marginal kernel or is ill-conditioned");
    }
}
