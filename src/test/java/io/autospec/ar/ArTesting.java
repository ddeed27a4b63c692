package io.autospec.ar;

import io.autospec.Autospec;
import io.autospec.RunResult;
import io.autospec.backend.CpuBackend;
import io.autospec.core.Strategy;
import io.autospec.testing.GoodnessOfFit;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.ToDoubleFunction;

/**
 * Shared test support for the AR tests: exact laws by enumeration of [q]^n, brute-force conditionals,
 * branches built from explicit orders and values, and conditionals evaluated through the real
 * {@link ConditionalBatch} path (backend launch + validation). Every exact law here is computed from
 * the model's definition by the caller, independently of the oracle under test.
 */
public final class ArTesting {
    private ArTesting() {}

    /** Number of cells of [q]^n. */
    public static int cells(int n, int q) {
        long c = 1;
        for (int i = 0; i < n; i++) c *= q;
        if (c > (1 << 24)) throw new IllegalArgumentException("q^n too large to enumerate: " + q + "^" + n);
        return (int) c;
    }

    /** Cell index of x in [q]^n (x[0] is the least significant digit). */
    public static int index(int[] x, int q) {
        int idx = 0;
        for (int i = x.length - 1; i >= 0; i--) idx = idx * q + x[i];
        return idx;
    }

    /** The assignment of cell {@code idx}. */
    public static int[] decode(int idx, int n, int q) {
        int[] x = new int[n];
        for (int i = 0; i < n; i++) {
            x[i] = idx % q;
            idx /= q;
        }
        return x;
    }

    /** The normalised law over [q]^n of the unnormalised (non-negative) weight function. */
    public static double[] law(int n, int q, ToDoubleFunction<int[]> weight) {
        int c = cells(n, q);
        double[] p = new double[c];
        double total = 0;
        for (int i = 0; i < c; i++) {
            double w = weight.applyAsDouble(decode(i, n, q));
            if (!(w >= 0) || Double.isInfinite(w)) throw new IllegalArgumentException("bad weight " + w);
            p[i] = w;
            total += w;
        }
        for (int i = 0; i < c; i++) p[i] /= total;
        return p;
    }

    /** The law from unnormalised log-weights (max-shifted before exponentiating). */
    public static double[] lawFromLog(int n, int q, ToDoubleFunction<int[]> logWeight) {
        int c = cells(n, q);
        double[] lw = new double[c];
        double max = Double.NEGATIVE_INFINITY;
        for (int i = 0; i < c; i++) {
            lw[i] = logWeight.applyAsDouble(decode(i, n, q));
            max = Math.max(max, lw[i]);
        }
        double finalMax = max;
        return law(n, q, x -> Math.exp(lw[index(x, q)] - finalMax));
    }

    /** A draw from an enumerated law. */
    public static int[] drawFrom(double[] law, int n, int q, SplittableRandom rnd) {
        double u = rnd.nextDouble(), cum = 0;
        int last = -1;
        for (int i = 0; i < law.length; i++) {
            if (law[i] > 0) {
                cum += law[i];
                last = i;
                if (u < cum) return decode(i, n, q);
            }
        }
        return decode(last, n, q);
    }

    /**
     * Brute force: mu(X_pos = . | X_sigma(r) = x_sigma(r) for r &lt; k) by summing the enumerated law;
     * q zeros when the context has probability zero.
     */
    public static double[] conditional(double[] law, int n, int q, Order order, int[] x, int k, int pos) {
        int[] pinned = new int[k];
        for (int r = 0; r < k; r++) pinned[r] = order.position(r);
        return conditionalGiven(law, n, q, pinned, x, pos);
    }

    /** Brute force: mu(X_pos = . | X_p = x_p for p in {@code pinned}); q zeros for an impossible context. */
    public static double[] conditionalGiven(double[] law, int n, int q, int[] pinned, int[] x, int pos) {
        double[] out = new double[q];
        int[] weight = new int[n]; // q^i
        weight[0] = 1;
        for (int i = 1; i < n; i++) weight[i] = weight[i - 1] * q;
        double total = 0;
        for (int idx = 0; idx < law.length; idx++) {
            if (law[idx] == 0) continue;
            boolean agrees = true;
            for (int r = 0; r < pinned.length && agrees; r++) {
                int p = pinned[r];
                agrees = (idx / weight[p]) % q == x[p];
            }
            if (!agrees) continue;
            out[(idx / weight[pos]) % q] += law[idx];
            total += law[idx];
        }
        if (total > 0) for (int v = 0; v < q; v++) out[v] /= total;
        return out;
    }

    /** A uniformly random order (test-side randomness). */
    public static Order randomOrder(int sample, int n, SplittableRandom rnd) {
        int[] s = new int[n];
        for (int i = 0; i < n; i++) s[i] = i;
        for (int i = n - 1; i > 0; i--) {
            int j = rnd.nextInt(i + 1);
            int t = s[i];
            s[i] = s[j];
            s[j] = t;
        }
        return Order.of(sample, s);
    }

    /** Attaches the oracle's per-order data, as the engine does when a sample starts. */
    public static Order prepared(ConditionalOracle oracle, Order order) {
        return order.prepareFor(oracle);
    }

    /**
     * The branch pinning x at steps 0..len-1 of the order, built in two extensions (so both the
     * summary carry-over and the in-place path are exercised).
     */
    public static Branch branch(ConditionalOracle oracle, Order order, int[] x, int len) {
        PrefixSummary s = oracle.prefixSummary();
        int[] steps = new int[len];
        for (int r = 0; r < len; r++) steps[r] = x[order.position(r)];
        int half = len / 2;
        Branch b = Branch.empty(order, s);
        b = b.extend(steps, 0, half, s);
        return b.extend(steps, half, len - half, s);
    }

    /** One query of a hand-made batch. */
    public record Query(Branch branch, int position, int k) {}

    /**
     * Evaluates queries through a {@link ConditionalBatch}: one launch on a single-threaded CPU backend,
     * then the batch's validation (which normalises). Returns the q probabilities of each query.
     */
    public static double[][] evaluate(ConditionalOracle oracle, List<Query> queries) {
        try (CpuBackend backend = new CpuBackend(1)) {
            ConditionalBatch batch = new ConditionalBatch(oracle, backend);
            batch.clear();
            for (Query qu : queries) batch.add(qu.branch(), qu.position(), qu.k());
            batch.launch(0, batch.size());
            return outputs(oracle, queries, batch);
        }
    }

    /** One query of a hand-made batch; only the probability of {@code scoredValue} is read (-1: the whole row). */
    public record ScoredQuery(Branch branch, int position, int k, int scoredValue) {}

    /** What one launch and the batch's validation gave: per query its row (row queries) or its score and zero-row flag. */
    public record Validated(double[][] rows, double[] scores, boolean[] zeroRows) {}

    /**
     * Evaluates queries through a {@link ConditionalBatch} built with {@code evaluator}: one launch as a
     * round makes it (so an evaluator may validate on its own), then the batch's validation. An
     * {@code OracleException} of the validation propagates.
     */
    public static Validated evaluate(ConditionalOracle oracle, ConditionalEvaluator evaluator, List<ScoredQuery> queries) {
        return evaluate(oracle, evaluator, batch -> {
            for (ScoredQuery qu : queries) batch.add(qu.branch(), qu.position(), qu.k(), qu.scoredValue());
        });
    }

    /** The same for queries that {@code fill} adds (e.g. as the engine's requests, {@link ConditionalBatch#addRequest}). */
    public static Validated evaluate(ConditionalOracle oracle, ConditionalEvaluator evaluator, java.util.function.Consumer<ConditionalBatch> fill) {
        ConditionalBatch batch = new ConditionalBatch(oracle, evaluator);
        batch.clear();
        fill.accept(batch);
        batch.launch(0, batch.size());
        batch.validate(0, batch.size());
        int q = oracle.alphabet(), c = batch.size();
        Validated v = new Validated(new double[c][], new double[c], new boolean[c]);
        for (int j = 0; j < c; j++) {
            if (batch.scoredValue(j) < 0) {
                v.rows()[j] = java.util.Arrays.copyOfRange(batch.out(), j * q, j * q + q);
            } else {
                v.scores()[j] = batch.score(j);
                v.zeroRows()[j] = batch.zeroRow(j);
            }
        }
        return v;
    }

    private static double[][] outputs(ConditionalOracle oracle, List<Query> queries, ConditionalBatch batch) {
        batch.validate(0, batch.size());
        int q = oracle.alphabet();
        double[][] out = new double[queries.size()][q];
        for (int j = 0; j < queries.size(); j++) System.arraycopy(batch.out(), j * q, out[j], 0, q);
        return out;
    }

    /** What {@link #checkConditionals} covered. */
    public record Coverage(int queries, int impossibleContexts, int determined) {}

    /**
     * Compares the oracle with brute-force conditionals of the enumerated law: for {@code orders}
     * random orders, a context x (drawn from the law, or uniformly from [q]^n when
     * {@code uniformContexts}, which reaches contexts of probability zero), one branch pinning x along
     * the order, and queries (branch, pos, k) for every k up to the branch length and every position
     * with rank &gt;= k, all evaluated in one {@link ConditionalBatch}. Fails on the first query whose
     * probabilities differ by more than {@code tol}.
     */
    public static Coverage checkConditionals(ConditionalOracle oracle, double[] law, SplittableRandom rnd, int orders,
                                             boolean uniformContexts, double tol) {
        int n = oracle.length(), q = oracle.alphabet();
        int total = 0, impossible = 0, determined = 0;
        for (int t = 0; t < orders; t++) {
            Order order = prepared(oracle, randomOrder(t, n, rnd));
            int[] x;
            if (uniformContexts) {
                x = new int[n];
                for (int i = 0; i < n; i++) x[i] = rnd.nextInt(q);
            } else {
                x = drawFrom(law, n, q, rnd);
            }
            int len = rnd.nextInt(n) + 1; // 1..n pinned values stored; queries read k <= min(len, n-1)
            Branch b = branch(oracle, order, x, len);
            List<Query> queries = new java.util.ArrayList<>();
            for (int k = 0; k <= Math.min(len, n - 1); k++) {
                for (int r = k; r < n; r++) queries.add(new Query(b, order.position(r), k));
            }
            double[][] got = evaluate(oracle, queries);
            for (int j = 0; j < queries.size(); j++) {
                Query qu = queries.get(j);
                double[] want = conditional(law, n, q, order, x, qu.k(), qu.position());
                double mass = 0, max = 0;
                for (double v : want) {
                    mass += v;
                    max = Math.max(max, v);
                }
                if (mass == 0) impossible++;
                if (max == 1.0) determined++;
                for (int v = 0; v < q; v++) {
                    if (!(Math.abs(got[j][v] - want[v]) <= tol)) {
                        throw new AssertionError(oracle.describe() + ": order " + java.util.Arrays.toString(order.sigma())
                                + ", x " + java.util.Arrays.toString(x) + ", k " + qu.k() + ", position " + qu.position()
                                + ": oracle " + java.util.Arrays.toString(got[j]) + ", enumeration " + java.util.Arrays.toString(want));
                    }
                }
                total++;
            }
        }
        return new Coverage(total, impossible, determined);
    }

    /** Counts of the samples per cell of [q]^n. */
    public static long[] counts(List<int[]> samples, int q, int cells) {
        long[] c = new long[cells];
        for (int[] x : samples) c[index(x, q)]++;
        return c;
    }

    /** Draws {@code m} samples in one run (all in the same rounds). */
    public static RunResult<int[]> run(ConditionalOracle oracle, Strategy strategy, long seed, int m) {
        try (CpuBackend backend = new CpuBackend(1)) {
            return Autospec.autoregressive(oracle).strategy(strategy).seed(seed).backend(backend).sample(m);
        }
    }

    /** Chi-square p-value of one run of m samples against the exact law. */
    public static double pValue(ConditionalOracle oracle, double[] law, Strategy strategy, long seed, int m) {
        RunResult<int[]> r = run(oracle, strategy, seed, m);
        return GoodnessOfFit.chiSquarePValue(law, counts(r.samples(), oracle.alphabet(), law.length));
    }

    /** Total variation distance between two laws on the same cells. */
    public static double tv(double[] p, double[] q) {
        double s = 0;
        for (int i = 0; i < p.length; i++) s += Math.abs(p[i] - q[i]);
        return s / 2;
    }
}
