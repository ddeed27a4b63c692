package io.autospec.ar;

import io.autospec.core.OracleException;
import io.autospec.core.QueryBatch;
import java.util.Arrays;

/**
 * One round of conditional-marginal queries in the compact layout: per query a branch (the sample's
 * pinned values in step order, plus its order's ranks), a position, and k = the number of pinned
 * steps it may read. Outputs: q probabilities per query in {@link #out()}; a query added with a
 * scored value (what {@code ArProcess.logChain} asks: one probability along its branch) also has
 * that value's normalised probability and a zero-row flag ({@link #score}, {@link #zeroRow}), which
 * are all that is read of it.
 *
 * <p>Validation: each row is checked (no NaN, negative or infinite entry; sum within
 * {@link #NORMALISATION_TOLERANCE} of 1 unless the row is all zero) and renormalised in place. An
 * evaluator may do this itself, with the same arithmetic in the same order (the CUDA backend does it
 * on the device, right after the model kernel, and downloads only what the requests read): it then
 * reports the range as {@link #validated} and the first row it rejected with {@link #rejected}, and
 * the batch does not check those rows again.
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
    private int[] scored = new int[256];
    private double[] scores = new double[256];
    private boolean[] zeroRows = new boolean[256];
    private double[] out = new double[256];
    // The requests the queries were added in, in order: a request covers queries [first, first + count),
    // steps [step, step + count) of one branch ({@link #addRequest}); a query added alone is a request of
    // one with its own position and k (REQUEST_SINGLE). Lets a backend ship one record per request.
    private int requests;
    private int[] requestFirst = new int[64], requestStep = new int[64], requestCount = new int[64], requestFlags = new int[64];
    // What the evaluator validated during the current launch: [validatedFrom, validatedTo), and the
    // first query in it whose row failed the check (-1: none) with the evaluator's verdict.
    private int validatedFrom, validatedTo, rejected = -1, rejectedValue;
    private double rejectedNumber;

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

    /** Request flags: k = min(step, known) (else k = the request's first step); only the branch's own values are scored; a lone query. */
    public static final int REQUEST_CHAIN = 1, REQUEST_SCORED = 2, REQUEST_SINGLE = 4;

    /**
     * Adds one request: the queries of steps r in [a, a + count) of {@code branch}, at position
     * sigma(r), each conditioned on k = min(r, branch length) pinned values ({@code chain}) or on k = a;
     * {@code scoredOnly}: only the probability of the branch's own value at step r is read. The per-query
     * accessors answer for each query exactly as if it had been added alone with {@link #add}.
     */
    public void addRequest(Branch branch, int a, int count, boolean chain, boolean scoredOnly) {
        if (count < 1) throw new IllegalArgumentException("empty request");
        int known = branch.length();
        if (a < 0 || a + count > branch.order().length() || (scoredOnly && a + count > known)) {
            throw new IllegalArgumentException("request for steps [" + a + ", " + (a + count) + ") of a branch of " + known + " of "
                    + branch.order().length() + " steps" + (scoredOnly ? " (scored)" : ""));
        }
        Order order = branch.order();
        while (size + count > positions.length) grow();
        for (int r = a, j = size; r < a + count; r++, j++) {
            branches[j] = branch;
            positions[j] = order.position(r);
            pinned[j] = chain ? Math.min(r, known) : a;
            scored[j] = scoredOnly ? branch.valueAtRank(r) : -1;
        }
        record(size, a, count, (chain ? REQUEST_CHAIN : 0) | (scoredOnly ? REQUEST_SCORED : 0));
        size += count;
    }

    private void record(int first, int step, int count, int flags) {
        if (requests == requestFirst.length) {
            int len = 2 * requests;
            requestFirst = Arrays.copyOf(requestFirst, len);
            requestStep = Arrays.copyOf(requestStep, len);
            requestCount = Arrays.copyOf(requestCount, len);
            requestFlags = Arrays.copyOf(requestFlags, len);
        }
        requestFirst[requests] = first;
        requestStep[requests] = step;
        requestCount[requests] = count;
        requestFlags[requests] = flags;
        requests++;
    }

    /** {@return the number of requests the queries were added in} */
    public int requests() {
        return requests;
    }

    /** {@return the first query of request i} */
    public int requestFirst(int i) {
        return requestFirst[i];
    }

    /** {@return the number of queries of request i} */
    public int requestCount(int i) {
        return requestCount[i];
    }

    /** {@return the step of request i's first query (a lone query: -1)} */
    public int requestStep(int i) {
        return requestStep[i];
    }

    /** {@return request i's flags: {@link #REQUEST_CHAIN}, {@link #REQUEST_SCORED}, {@link #REQUEST_SINGLE}} */
    public int requestFlags(int i) {
        return requestFlags[i];
    }

    /** {@return the request that query j belongs to} */
    public int requestOf(int j) {
        if (j < 0 || j >= size) throw new IndexOutOfBoundsException("query " + j + " of " + size);
        int lo = 0, hi = requests - 1;
        while (lo < hi) { // the last request whose first query is at most j
            int mid = (lo + hi + 1) >>> 1;
            if (requestFirst[mid] <= j) lo = mid;
            else hi = mid - 1;
        }
        return lo;
    }

    /** Adds query (branch, position, k); its whole row is wanted. */
    public void add(Branch branch, int position, int k) {
        add(branch, position, k, -1);
    }

    /**
     * Adds query (branch, position, k) of which only the probability of {@code scoredValue} (and
     * whether the row has any mass) is read: {@link #score} and {@link #zeroRow}. -1: the whole row
     * is wanted, in {@link #out()}.
     */
    public void add(Branch branch, int position, int k, int scoredValue) {
        if (scoredValue < -1 || scoredValue >= q) {
            throw new IllegalArgumentException("scored value " + scoredValue + " outside [-1, " + q + ")");
        }
        if (size == positions.length) grow();
        branches[size] = branch;
        positions[size] = position;
        pinned[size] = k;
        scored[size] = scoredValue;
        record(size, -1, 1, REQUEST_SINGLE);
        size++;
    }

    private void grow() {
        int len = positions.length * 2;
        branches = Arrays.copyOf(branches, len);
        positions = Arrays.copyOf(positions, len);
        pinned = Arrays.copyOf(pinned, len);
        scored = Arrays.copyOf(scored, len);
        scores = Arrays.copyOf(scores, len);
        zeroRows = Arrays.copyOf(zeroRows, len);
        out = Arrays.copyOf(out, (long) len * q > Integer.MAX_VALUE - 8 ? fail(len) : len * q);
    }

    private static int fail(int len) {
        throw new IllegalStateException("a round of " + len + " queries does not fit in one Java array");
    }

    @Override
    protected void clear() {
        Arrays.fill(branches, 0, size, null);
        size = 0;
        requests = 0;
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

    /** {@return the value whose probability query j scores, or -1 when its whole row is wanted} */
    public int scoredValue(int j) {
        return scored[j];
    }

    /** {@return the normalised probability of query j's scored value (after validation)} */
    public double score(int j) {
        return scores[j];
    }

    /** {@return whether query j's row had no mass at all (after validation; scored queries only)} */
    public boolean zeroRow(int j) {
        return zeroRows[j];
    }

    /** {@return the output buffer: q entries per query} (a scored query's row only when the batch validated it) */
    public double[] out() {
        return out;
    }

    /**
     * For an evaluator that validates: query j's validated result, the normalised probability of its
     * scored value and whether its row had no mass (then {@code p} is the raw entry, +-0).
     */
    public void putScore(int j, double p, boolean zeroRow) {
        scores[j] = p;
        zeroRows[j] = zeroRow;
    }

    /**
     * For an evaluator that validates: queries [from, to) of the current launch were checked and
     * normalised exactly as {@link #validate} would (row queries in {@link #out()}, scored ones through
     * {@link #putScore}); the batch will not check them again. Ranges of one launch are reported in order.
     */
    public void validated(int from, int to) {
        if (validatedFrom == validatedTo) {
            validatedFrom = from;
        } else if (from != validatedTo) {
            throw new IllegalStateException("validated ranges out of order: [" + validatedFrom + ", " + validatedTo
                    + ") then [" + from + ", " + to + ")");
        }
        validatedTo = to;
    }

    /**
     * For an evaluator that validates: query j (inside a range it reports as {@link #validated}) failed
     * the check, its raw row is in {@link #out()}, and the verdict is entry {@code value} equal to
     * {@code number} (NaN, negative or infinite) or, with {@code value = -1}, a sum {@code number} too
     * far from 1. The batch's validation throws the {@link OracleException} the host check would; the
     * first query so reported in a launch is the one named.
     */
    public void rejected(int j, int value, double number) {
        if (rejected >= 0) return;
        rejected = j;
        rejectedValue = value;
        rejectedNumber = number;
    }

    @Override
    protected void launch(int from, int to) {
        validatedFrom = validatedTo = 0;
        rejected = -1;
        evaluator.validatedConditionals(oracle, this, from, to);
    }

    @Override
    protected void validate(int from, int to) {
        int vf = Math.max(from, validatedFrom), vt = Math.min(to, validatedTo);
        if (vf >= vt) {
            check(from, to);
            return;
        }
        check(from, vf);
        if (rejected >= 0) {
            String where = describe(rejected), row = rowString(out, rejected * q, q);
            throw rejectedValue >= 0 ? badEntry(oracle, rejectedValue, rejectedNumber, where, row) : unnormalised(oracle, rejectedNumber, where, row);
        }
        check(vt, to);
    }

    /** The host check of rows [from, to): see the class comment. */
    private void check(int from, int to) {
        for (int j = from; j < to; j++) {
            int base = j * q, query = j;
            double sum = checkedSum(oracle, out, base, q, () -> describe(query));
            if (sum != 0) { // sum 0: the pinned context is impossible under mu
                for (int v = 0; v < q; v++) out[base + v] /= sum;
            }
            int x = scored[j];
            if (x >= 0) putScore(j, out[base + x], sum == 0);
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
            if (!(p >= 0) || p == Double.POSITIVE_INFINITY) throw badEntry(oracle, v, p, where.get(), rowString(row, base, q));
            sum += p;
        }
        if (sum != 0 && Math.abs(sum - 1.0) > NORMALISATION_TOLERANCE) throw unnormalised(oracle, sum, where.get(), rowString(row, base, q));
        return sum;
    }

    private static OracleException badEntry(ConditionalOracle oracle, int v, double p, String where, String row) {
        return new OracleException("oracle " + oracle.describe() + " returned "
                + (Double.isNaN(p) ? "NaN" : Double.toString(p)) + " for value " + v + " at " + where + ": " + row);
    }

    private static OracleException unnormalised(ConditionalOracle oracle, double sum, String where, String row) {
        return new OracleException("oracle " + oracle.describe() + " returned an unnormalised vector (sum "
                + sum + ") at " + where + ": " + row);
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
