package io.autospec;

import io.autospec.core.MemoryTerms;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.Strategy;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The memory a run will allocate, estimated before it starts from its sizes (n, q or d, samples,
 * capacity) and strategy, so that a run that cannot fit is refused up front instead of failing with
 * an {@link OutOfMemoryError} after minutes. The big terms: per-sample state (the order, the pinned
 * values, the output), the rows of speculations (q doubles per position of every live speculation,
 * which the capacity does not bound), the buffers of one piece of a round (about capacity queries of
 * q outputs each), and the running fallback trials (at most the trial budget, plus each fallback's
 * own trial). It is an estimate of the order of magnitude, calibrated against measured peaks (see
 * {@code benchmarks/RESULTS.md}), not a guarantee; model tables are counted by the caller when the
 * model is not built yet ({@link #plus}).
 *
 * <pre>{@code
 * MemoryEstimate e = Autospec.autoregressive(MarkovChain.stay(4096, 2, 0.9))
 *         .strategy(Autospec.speculative()).capacity(4096).estimateMemory(100);
 * if (!e.fits(Runtime.getRuntime().maxMemory())) System.err.println(e.advice(Runtime.getRuntime().maxMemory()));
 * }</pre>
 */
public final class MemoryEstimate {
    /** Heap a running fallback trial costs besides its steps: nodes, scopes, deferreds, requests, branch stores (measured). */
    static final long TRIAL_BYTES = 800;
    /** Heap a step of a running trial costs besides q-dependent rows: pinned value, prefix summary, store slack. */
    static final long TRIAL_STEP_BYTES = 24;
    /** Per position of a sample: order (sigma, rank, min-tree), pinned values and prefix summaries, the output. */
    static final long SAMPLE_POSITION_BYTES = 56;
    /** Per query in a round's buffer besides its outputs: branch, position, k (AR); time, sample, step (diffusion). */
    static final long QUERY_BYTES = 16;

    /** One term of the estimate, with the setting that shrinks it. */
    public record Part(String what, long bytes, String lever) {}

    private final List<Part> parts;
    private final long pieceQueries;

    private MemoryEstimate(List<Part> parts, long pieceQueries) {
        this.parts = List.copyOf(parts);
        this.pieceQueries = pieceQueries;
    }

    /** {@return the most queries one piece of a round (one launch) holds: what a model's per-launch buffers scale with} */
    public long pieceQueries() {
        return pieceQueries;
    }

    /** The terms, largest first. */
    public List<Part> parts() {
        List<Part> p = new ArrayList<>(parts);
        p.sort(Comparator.comparingLong(Part::bytes).reversed());
        return p;
    }

    /** The estimate in bytes (saturating). */
    public long bytes() {
        long s = 0;
        for (Part p : parts) s = saturatingAdd(s, p.bytes());
        return s;
    }

    /** Whether the estimate fits in {@code heapBytes} (e.g. {@code Runtime.getRuntime().maxMemory()}). */
    public boolean fits(long heapBytes) {
        return bytes() <= heapBytes;
    }

    /** This estimate with one more term (e.g. the tables of a model that is not built yet). */
    public MemoryEstimate plus(String what, long bytes, String lever) {
        List<Part> p = new ArrayList<>(parts);
        p.add(new Part(what, bytes, lever));
        return new MemoryEstimate(p, pieceQueries);
    }

    /** One line: the estimate, its two largest terms, and what to change to fit in {@code heapBytes}. */
    public String advice(long heapBytes) {
        List<Part> p = parts();
        StringBuilder sb = new StringBuilder("this run needs about ").append(format(bytes()))
                .append(" of memory, more than the Java heap's ").append(format(heapBytes)).append(" (");
        for (int i = 0; i < Math.min(2, p.size()); i++) {
            if (i > 0) sb.append(", ");
            sb.append(p.get(i).what()).append(' ').append(format(p.get(i).bytes()));
        }
        sb.append("): ").append(p.get(0).lever());
        if (p.size() > 1 && !p.get(1).lever().equals(p.get(0).lever())) sb.append(", ").append(p.get(1).lever());
        sb.append(", or give Java more memory (java -Xmx")
                .append(Math.max(1, (long) Math.ceil(bytes() * 1.25 / (1L << 30)))).append("g -jar ...)");
        return sb.toString();
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(format(bytes())).append(" [");
        List<Part> p = parts();
        for (int i = 0; i < p.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append(p.get(i).what()).append(' ').append(format(p.get(i).bytes()));
        }
        return sb.append(']').toString();
    }

    /** "1.5 GB", "320 MB", "12 KB". */
    public static String format(long bytes) {
        return io.autospec.internal.util.Bytes.format(bytes);
    }

    /**
     * An any-order AR run of {@code samples} samples of n positions over q values (the oracle's own
     * tables not included).
     */
    public static MemoryEstimate autoregressive(int n, int q, Strategy strategy, int samples, int capacity) {
        MemoryTerms t = strategy.memoryTerms(n);
        return common(n, samples, capacity, t, t.arRows(), 8L * q, 16L * q, "q doubles per position of every live speculation");
    }

    /** A diffusion run of {@code samples} samples of {@code steps} schedule steps in R^d. */
    public static MemoryEstimate diffusion(int steps, int d, Strategy strategy, int samples, int capacity) {
        MemoryTerms t = strategy.memoryTerms(steps);
        return common(steps, samples, capacity, t, t.diffusionRows(), 16L * d, 24L * d, "increments and drifts of live speculations");
    }

    /** The terms common to both kinds of run; the strategy's own (request, live rows, trials) come from {@code t}. */
    private static MemoryEstimate common(int n, int samples, int capacity, MemoryTerms t, long rowsPerSample,
                                         long queryOutBytes, long trialRowBytes, String rowsWhat) {
        List<Part> parts = new ArrayList<>();
        long m = samples;
        long request = t.request();
        parts.add(new Part("per-sample state (" + samples + " x " + n + " steps)", mul(m * n, SAMPLE_POSITION_BYTES),
                "use fewer --samples or a smaller --n/--steps"));
        parts.add(new Part("speculation rows (" + rowsWhat + ")", mul(mul(m, rowsPerSample), queryOutBytes), t.rowsLever()));
        // A round is built in pieces of about `capacity` queries (one request may overrun a piece);
        // buffers grow by doubling, hence the factor 2.
        long round = mul(m, request);
        long piece = Math.min(round, saturatingAdd(capacity, request));
        parts.add(new Part("round buffers (" + piece + " queries a piece)", mul(2 * piece, queryOutBytes + QUERY_BYTES),
                "evaluate rounds in smaller pieces (--capacity C)"));
        if (t.trialSteps() > 0) {
            // Trials admitted within the budget (worst case: trials of 2 steps), plus each fallback's
            // own trial, whose chains stay below 2n steps a sample (TrialBudget); half of that here.
            long perStep = TRIAL_STEP_BYTES + trialRowBytes;
            long admitted = Math.min(t.trialSteps(), saturatingAdd(mul(4, mul(m, n)), 1L << 16));
            long own = mul(m, n) / 2;
            parts.add(new Part("fallback trials (" + admitted + " + " + own + " steps)",
                    saturatingAdd(mul(admitted, perStep + TRIAL_BYTES / 2), mul(own, perStep)),
                    "bound the running trials (--max-trial-steps S) or use fewer --samples"));
        }
        return new MemoryEstimate(parts, piece);
    }

    /**
     * A trial budget (steps) that keeps the running trials within a quarter of {@code heapBytes}:
     * the smaller of {@link SpeculativeSampler#DEFAULT_MAX_CONCURRENT_TRIAL_STEPS} and that, at
     * least 64. Samples do not depend on the budget, so it may follow the heap.
     */
    public static long trialBudgetFor(long heapBytes, int q) {
        long perStep = TRIAL_STEP_BYTES + 16L * q + TRIAL_BYTES / 2;
        return Math.max(64, Math.min(SpeculativeSampler.DEFAULT_MAX_CONCURRENT_TRIAL_STEPS, heapBytes / 4 / perStep));
    }

    private static long mul(long a, long b) {
        long hi = Math.multiplyHigh(a, b);
        long lo = a * b;
        return (hi == 0 && lo >= 0) ? lo : Long.MAX_VALUE;
    }

    private static long saturatingAdd(long a, long b) {
        long s = a + b;
        return s < 0 ? Long.MAX_VALUE : s;
    }
}
