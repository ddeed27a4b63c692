package io.autospec.ar;

import io.autospec.core.OracleException;
import io.autospec.core.QueryBatch;
import java.util.Arrays;

/**
 * One round of conditional-marginal queries in the compact layout: per query a branch (the sample's
 * pinned values in step order, plus its order's ranks), a position, and k = the number of pinned
 * steps it may read. Outputs: q probabilities per query in {@link #out()}.
 *
 * <p>The engine's side of a round (it adds queries, the backend fills {@link #out()}): <b>internal</b>
 * beyond the read-only {@link ConditionalQueries} view that oracles are handed.
 */
public final class ConditionalBatch extends QueryBatch implements ConditionalQueries {
    /**
     * The library's one tolerance on |sum - 1| for a probability vector: an oracle's output row
     * (within it, the row is renormalised; beyond it, the run stops with {@link OracleException}),
     * and the rows and initial law a model is built from ({@code MarkovChain}).
     */
    public static final double NORMALISATION_TOLERANCE = 1e-6;

    private final ConditionalOracle oracle;
    private final ConditionalEvaluator evaluator;
    private final int q;
    private int size;
    private Branch[] branches = new Branch[256];
    private int[] positions = new int[256];
    private int[] pinned = new int[256];
    private double[] out = new double[256];

    /** An empty batch for the oracle, evaluated by the oracle on the calling thread (benchmarks, oracle tests). */
    public ConditionalBatch(ConditionalOracle oracle) {
        this(oracle, ConditionalEvaluator.INLINE);
    }

    /** An empty batch for the oracle, evaluated by {@code evaluator} (a backend, for the engine). */
    public ConditionalBatch(ConditionalOracle oracle, ConditionalEvaluator evaluator) {
        this.oracle = oracle;
        this.evaluator = java.util.Objects.requireNonNull(evaluator, "evaluator");
        this.q = oracle.alphabet();
        this.out = new double[256 * q];
    }

    /** {@return the oracle the batch is evaluated with} */
    public ConditionalOracle oracle() {
        return oracle;
    }

    /** {@return q, the number of outputs per query} */
    public int alphabet() {
        return q;
    }

    @Override
    public int size() {
        return size;
    }

    /** Adds query (branch, position, k). */
    public void add(Branch branch, int position, int k) {
        if (size == positions.length) grow();
        branches[size] = branch;
        positions[size] = position;
        pinned[size] = k;
        size++;
    }

    private void grow() {
        int len = positions.length * 2;
        branches = Arrays.copyOf(branches, len);
        positions = Arrays.copyOf(positions, len);
        pinned = Arrays.copyOf(pinned, len);
        out = Arrays.copyOf(out, (long) len * q > Integer.MAX_VALUE - 8 ? fail(len) : len * q);
    }

    private static int fail(int len) {
        throw new IllegalStateException("a round of " + len + " queries does not fit in one Java array");
    }

    @Override
    protected void clear() {
        Arrays.fill(branches, 0, size, null);
        size = 0;
    }

    /** {@return the branch (pinned values and order) of query j} */
    public Branch context(int j) {
        return branches[j];
    }

    /** {@return the position whose conditional law query j asks for} */
    public int position(int j) {
        return positions[j];
    }

    /** {@return k: query j conditions on the values pinned at steps 0..k-1 of its branch} */
    public int pinned(int j) {
        return pinned[j];
    }

    /** {@return the output buffer: q entries per query} */
    public double[] out() {
        return out;
    }

    @Override
    protected void launch(int from, int to) {
        evaluator.conditionals(oracle, this, from, to);
    }

    @Override
    protected void validate(int from, int to) {
        for (int j = from; j < to; j++) {
            int base = j * q, query = j;
            double sum = checkedSum(oracle, out, base, q, () -> describe(query));
            if (sum == 0) continue; // the pinned context is impossible under mu
            for (int v = 0; v < q; v++) out[base + v] /= sum;
        }
    }

    /**
     * The check of one output row {@code row[base, base + q)}: every entry finite and non-negative, and
     * the sum zero (an impossible context) or within {@link #NORMALISATION_TOLERANCE} of 1. Shared by
     * every place that validates rows (a backend running rounds on its device names a bad row with it).
     *
     * @return the row's sum, added in value order
     * @throws OracleException naming {@code where} (the query), the value and the row
     */
    public static double checkedSum(ConditionalOracle oracle, double[] row, int base, int q, java.util.function.Supplier<String> where) {
        double sum = 0;
        for (int v = 0; v < q; v++) {
            double p = row[base + v];
            if (!(p >= 0) || p == Double.POSITIVE_INFINITY) {
                throw new OracleException("oracle " + oracle.describe() + " returned "
                        + (Double.isNaN(p) ? "NaN" : Double.toString(p)) + " for value " + v + " at " + where.get()
                        + ": " + rowString(row, base, q));
            }
            sum += p;
        }
        if (sum != 0 && Math.abs(sum - 1.0) > NORMALISATION_TOLERANCE) {
            throw new OracleException("oracle " + oracle.describe() + " returned an unnormalised vector (sum "
                    + sum + ") at " + where.get() + ": " + rowString(row, base, q));
        }
        return sum;
    }

    /** {@return "query #j (sample s, position p, k pinned)"} */
    public String describe(int j) {
        return describe(j, branches[j].order().sample(), positions[j], pinned[j]);
    }

    /** {@return "query #j (sample s, position p, k pinned)"}: how every error names a query */
    public static String describe(int j, int sample, int position, int k) {
        return "query #" + j + " (sample " + sample + ", position " + position + ", " + k + " pinned)";
    }

    private static String rowString(double[] row, int base, int q) {
        StringBuilder sb = new StringBuilder("[");
        for (int v = 0; v < Math.min(q, 8); v++) {
            if (v > 0) sb.append(", ");
            sb.append(row[base + v]);
        }
        if (q > 8) sb.append(", ...");
        return sb.append(']').toString();
    }
}
