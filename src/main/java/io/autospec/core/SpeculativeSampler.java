package io.autospec.core;

import io.autospec.rng.Purpose;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Recursive speculative rejection sampling (Anari et al. 2025, Algorithm "Sample(S, P)"), the one
 * recursion shared by any-order AR and diffusion:
 *
 * <pre>
 * Sample(S, P):
 *   nu_S &lt;- speculation of S at P                         (one round)
 *   x ~ nu_S;  if |S| = 1 return (x, log nu_S(x))
 *   log mu_S(x)                                           (one round, all steps in parallel)
 *   accept x with prob min(1, mu_S(x) / nu_S(x))
 *   fallback: trials y_j = Sample(L(S), P) ++ Sample(R(S), P + y_L),  j = 1, 2, ...
 *             run in batches [ceil((1+rho)^r), ceil((1+rho)^(r+1))), each batch in parallel;
 *             trial j is accepted with prob max(0, 1 - nu_S(y_j) / mu_S(y_j));
 *             the answer is the accepted trial with the smallest index.
 * </pre>
 *
 * P[output = x] = min(mu, nu)(x) + max(0, mu - nu)(x) = mu(x). Children return log mu of their
 * outcome, so the trial test needs no oracle round. Skipping the speculation at a node (returning
 * the two halves directly) is also exact: whether to speculate is a policy ({@link #maxSpeculationSpan}).
 */
public final class SpeculativeSampler implements Strategy {

    /**
     * Deliberately wrong variants. They exist only so the statistical tests can show they have the
     * power to reject a biased sampler; package-private, so no caller of the library can pick one.
     */
    enum Variant {
        /** The algorithm above. */
        EXACT,
        /** Accept with min(1, mu/nu) and redraw the speculation on rejection: samples min(mu, nu). */
        NO_FALLBACK,
        /** Take the accepted trial that finished first instead of the one with the smallest index. */
        FIRST_FINISHED
    }

    private final double rho;
    private final boolean earlyDecision;
    private final int maxSpeculationSpan;
    private final long maxConcurrentTrialSteps;
    private final Variant variant;

    /** Largest trial index a fallback may reach before the oracle is declared inconsistent. */
    static final int MAX_TRIALS = 1 << 24;

    /** Default bound on the steps a fallback's running trials cover together (memory: ~12 bytes a step). */
    public static final long DEFAULT_MAX_CONCURRENT_TRIAL_STEPS = 1L << 22;

    private SpeculativeSampler(double rho, boolean earlyDecision, int maxSpeculationSpan, long maxConcurrentTrialSteps,
                               Variant variant) {
        if (!(rho > 0) || Double.isInfinite(rho)) {
            throw new IllegalArgumentException("rho must be a positive number, got " + rho);
        }
        if (maxSpeculationSpan < 1) {
            throw new IllegalArgumentException("maxSpeculationSpan must be >= 1, got " + maxSpeculationSpan);
        }
        this.rho = rho;
        this.earlyDecision = earlyDecision;
        if (maxConcurrentTrialSteps < 1) {
            throw new IllegalArgumentException("maxConcurrentTrialSteps must be >= 1, got " + maxConcurrentTrialSteps);
        }
        this.maxSpeculationSpan = maxSpeculationSpan;
        this.maxConcurrentTrialSteps = maxConcurrentTrialSteps;
        this.variant = variant;
    }

    /** rho = 1 (doubling trial batches), early decision on, speculation at every span. */
    public static SpeculativeSampler create() {
        return new SpeculativeSampler(1.0, true, Integer.MAX_VALUE, DEFAULT_MAX_CONCURRENT_TRIAL_STEPS, Variant.EXACT);
    }

    /** Trial batches grow by the factor (1 + rho). The analysis takes rho ~ 1/log n. */
    public SpeculativeSampler rho(double rho) {
        return new SpeculativeSampler(rho, earlyDecision, maxSpeculationSpan, maxConcurrentTrialSteps, variant);
    }

    /**
     * Decide a fallback as soon as trial j is accepted and every trial before j is finished,
     * cancelling the rest (instead of waiting for the whole batch). Same samples, fewer rounds.
     */
    public SpeculativeSampler earlyDecision(boolean on) {
        return new SpeculativeSampler(rho, on, maxSpeculationSpan, maxConcurrentTrialSteps, variant);
    }

    /** Speculate only at spans of at most {@code s} steps; larger spans go straight to their halves. */
    public SpeculativeSampler maxSpeculationSpan(int s) {
        return new SpeculativeSampler(rho, earlyDecision, s, maxConcurrentTrialSteps, variant);
    }

    /** A planted wrong variant, for power checks of the statistical tests only (see the tests' PlantedVariants). */
    SpeculativeSampler variant(Variant v) {
        return new SpeculativeSampler(rho, earlyDecision, maxSpeculationSpan, maxConcurrentTrialSteps, v);
    }

    /**
     * Bounds the memory of a fallback: a trial batch never covers more than {@code steps} steps in
     * total (|S| per trial), so at large spans the geometric batches are cut into chunks of
     * max(1, steps / |S|) trials. Still exact (trials are i.i.d. and the lowest accepted index wins);
     * costs rounds only when a fallback needs more trials than fit.
     */
    public SpeculativeSampler maxConcurrentTrialSteps(long steps) {
        return new SpeculativeSampler(rho, earlyDecision, maxSpeculationSpan, steps, variant);
    }

    /** The bound on the steps a fallback's running trials cover together. */
    public long maxConcurrentTrialSteps() {
        return maxConcurrentTrialSteps;
    }

    /** Trial batches grow by the factor (1 + rho). */
    public double rho() {
        return rho;
    }

    /** Whether fallbacks decide early. */
    public boolean earlyDecision() {
        return earlyDecision;
    }

    /** The largest span speculated at. */
    public int maxSpeculationSpan() {
        return maxSpeculationSpan;
    }

    @Override
    public String name() {
        return "speculative";
    }

    @Override
    public boolean exact() {
        return variant == Variant.EXACT;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("rho", rho);
        m.put("earlyDecision", earlyDecision);
        m.put("maxSpeculationSpan", maxSpeculationSpan == Integer.MAX_VALUE ? "all" : maxSpeculationSpan);
        if (maxConcurrentTrialSteps != DEFAULT_MAX_CONCURRENT_TRIAL_STEPS) m.put("maxConcurrentTrialSteps", maxConcurrentTrialSteps);
        if (variant != Variant.EXACT) m.put("variant", variant.name());
        return m;
    }

    @Override
    public <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics) {
        Recursion<P, Y> rec = new Recursion<>(process, metrics);
        return rec.sample(root, process.start(root), 0, process.length()).map(s -> {
            metrics.reached(root.sample(), process.length(), process.length());
            return process.end(s.value());
        });
    }

    /**
     * Sample(S, P) for the rest S = [a, n) of a sample whose first a steps are {@code prefix}, with
     * randomness from {@code node}'s stream. Exact given the prefix, however the prefix was drawn,
     * provided the node's stream is independent of it.
     */
    public <P, Y> Deferred<P> sampleRest(StepProcess<P, Y> process, Node node, P prefix, int a, RunMetrics metrics) {
        Recursion<P, Y> rec = new Recursion<>(process, metrics);
        return rec.sample(node, prefix, a, process.length()).map(s -> process.end(s.value()));
    }

    /** Trial index where batch r starts: ceil((1 + rho)^r), saturating. */
    int batchStart(int r) {
        double v = Math.ceil(StrictMath.pow(1.0 + rho, r));
        return v >= MAX_TRIALS ? MAX_TRIALS : (int) v;
    }

    @Override
    public String toString() {
        return name() + settings();
    }

    /** The recursion for one process; one instance serves every sample of a run. */
    private final class Recursion<P, Y> {
        private final StepProcess<P, Y> process;
        private final RunMetrics metrics;

        Recursion(StepProcess<P, Y> process, RunMetrics metrics) {
            this.process = process;
            this.metrics = metrics;
        }

        /** Sample(S, P) for S = [a, b): returns y ~ mu_S with log mu_S(y). */
        Deferred<Sampled<Y>> sample(Node node, P prefix, int a, int b) {
            metrics.reached(node.sample(), a, process.length()); // this chain has drawn [0, a)
            if (b - a > maxSpeculationSpan) return halves(node, prefix, a, b);
            return process.speculate(node, prefix, a, b).then(spec -> test(node, prefix, spec));
        }

        /** Draws x ~ nu_S and keeps it with probability min(1, mu_S(x) / nu_S(x)); else falls back. */
        private Deferred<Sampled<Y>> test(Node node, P prefix, Speculation<P, Y> spec) {
            Sampled<Y> x = spec.draw(node);
            if (spec.to() - spec.from() == 1) return Deferred.done(x); // nu_S == mu_S
            return spec.logMu(node, x).then(logMu -> {
                boolean accept = node.uniform(Purpose.ACCEPT, 0) < Math.exp(logMu - x.logDensity());
                metrics.speculation(node.depth(), spec.to() - spec.from(), accept);
                if (accept) return Deferred.done(new Sampled<>(x.value(), logMu));
                if (variant == Variant.NO_FALLBACK) {
                    // Retry until accepted, completing one deferred (chaining a deferred per retry
                    // would nest the completions as deep as the number of retries).
                    Deferred<Sampled<Y>> out = new Deferred<>();
                    retryWithoutFallback(node, 0, prefix, spec.from(), spec.to(), out);
                    return out;
                }
                return new Fallback<>(this, node, prefix, spec).result;
            });
        }

        /**
         * {@link Variant#NO_FALLBACK}: redraw the speculation at fresh nodes {@code parent.trial(r)},
         * r = 0, 1, ..., until one is accepted (siblings, so scope chains stay short).
         */
        private void retryWithoutFallback(Node parent, int r, P prefix, int a, int b, Deferred<Sampled<Y>> out) {
            Node node = parent.trial(r);
            process.speculate(node, prefix, a, b).whenDone(spec -> {
                Sampled<Y> x = spec.draw(node);
                spec.logMu(node, x).whenDone(logMu -> {
                    boolean accept = node.uniform(Purpose.ACCEPT, 0) < Math.exp(logMu - x.logDensity());
                    metrics.speculation(node.depth(), b - a, accept);
                    if (accept) {
                        out.complete(new Sampled<>(x.value(), logMu));
                    } else {
                        retryWithoutFallback(parent, r + 1, prefix, a, b, out);
                    }
                });
            });
        }

        /** y = Sample(L(S), P) ++ Sample(R(S), P + y_L): an exact draw from mu_S with its log mu. */
        Deferred<Sampled<Y>> halves(Node node, P prefix, int a, int b) {
            int mid = (a + b) >>> 1;
            return sample(node.left(), prefix, a, mid).then(l ->
                    sample(node.right(), process.end(l.value()), mid, b).map(r ->
                            new Sampled<>(process.concat(l.value(), r.value()), l.logDensity() + r.logDensity())));
        }
    }

    /**
     * The fallback loop of one node: i.i.d. trials y_j ~ mu_S, accepted with probability
     * max(0, 1 - nu_S(y_j) / mu_S(y_j)); answers with the lowest accepted index, which is what makes
     * the output exact whatever order the trials finish in.
     */
    private final class Fallback<P, Y> {
        private static final byte RUNNING = 0, REJECTED = 1, ACCEPTED = 2;

        final Deferred<Sampled<Y>> result = new Deferred<>();
        private final Recursion<P, Y> rec;
        private final Node node;
        private final P prefix;
        private final Speculation<P, Y> spec;

        private int batch;          // r: the geometric boundary batchStart(r) ends the current batch
        private int lo, hi = 1;     // trial indices of the current batch: [lo, hi)
        private int generation;     // counts batches, so a late completion from an old one is ignored
        private int finished;       // trials of this batch that have finished
        private int cursor;         // every trial in [lo, cursor) was rejected
        private final List<Node> trials = new ArrayList<>();
        private final List<Sampled<Y>> outcomes = new ArrayList<>();
        private byte[] status = new byte[0];
        private boolean decided;

        Fallback(Recursion<P, Y> rec, Node node, P prefix, Speculation<P, Y> spec) {
            this.rec = rec;
            this.node = node;
            this.prefix = prefix;
            this.spec = spec;
            rec.metrics.fallback(node.depth());
            nextBatch();
        }

        private void nextBatch() {
            // Geometric batches [ceil((1+rho)^r), ceil((1+rho)^(r+1))), skipping empty ones, cut into
            // chunks that respect the memory bound.
            generation++;
            lo = hi;
            if (lo >= MAX_TRIALS) {
                throw new OracleException("a fallback at depth " + node.depth() + " over steps [" + spec.from() + ", "
                        + spec.to() + ") rejected " + MAX_TRIALS + " trials: mu and nu disagree in a way no consistent oracle allows");
            }
            while (batchStart(batch) <= lo) batch++;
            long cap = Math.max(1, maxConcurrentTrialSteps / (spec.to() - spec.from()));
            hi = (int) Math.min(batchStart(batch), lo + cap);
            cursor = lo;
            finished = 0;
            status = new byte[hi - lo];
            trials.clear();
            outcomes.clear();
            for (int j = lo; j < hi; j++) {
                trials.add(null);
                outcomes.add(null);
            }
            for (int j = lo; j < hi && !decided; j++) startTrial(j);
        }

        private void startTrial(int j) {
            Node t = node.trial(j);
            trials.set(j - lo, t);
            rec.metrics.trialStarted(node.depth());
            int myGeneration = generation;
            rec.halves(t, prefix, spec.from(), spec.to()).whenDone(y -> finish(myGeneration, j, t, y));
        }

        private void finish(int myGeneration, int j, Node t, Sampled<Y> y) {
            if (decided || myGeneration != generation || t.scope().isCancelled()) return;
            double logNu = spec.logNu(y.value());
            double pAccept = 1.0 - Math.exp(logNu - y.logDensity());
            boolean accept = t.uniform(Purpose.TRIAL_ACCEPT, 0) < pAccept;
            status[j - lo] = accept ? ACCEPTED : REJECTED;
            outcomes.set(j - lo, y);
            finished++;
            if (variant == Variant.FIRST_FINISHED && accept) {
                decide(j);
                return;
            }
            while (cursor < hi && status[cursor - lo] == REJECTED) cursor++;
            if (cursor == hi) {
                nextBatch(); // every trial of the batch was rejected
            } else if (status[cursor - lo] == ACCEPTED && (earlyDecision || finished == hi - lo)) {
                decide(cursor);
            }
        }

        private void decide(int j) {
            decided = true;
            for (int i = lo; i < hi; i++) {
                Node t = trials.get(i - lo);
                if (i != j && t != null && status[i - lo] == RUNNING) t.scope().cancel();
            }
            rec.metrics.trialAccepted(node.depth());
            result.complete(outcomes.get(j - lo));
        }
    }
}
