package io.autospec.core;

import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.spi.Sampled;
import io.autospec.spi.Purpose;
import java.util.LinkedHashMap;
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
public final class SpeculativeSampler implements ChainStrategy {

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

    /** Default bound on the steps the run's running trials cover together (see {@link #maxConcurrentTrialSteps(long)}). */
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
     * Bounds the memory of the fallbacks of the whole run (all depths, all samples): running trials
     * cover at most {@code steps} steps together (|S| each), except that every fallback may always
     * run one trial, so the live trial steps stay below 2 x steps + 2 x samples x n (see
     * {@link TrialBudget}). Trials that do not fit wait for running ones to end. Still exact (trials
     * are i.i.d., addressed by index, and the lowest accepted index wins); costs rounds only when
     * fallbacks want more trials than fit.
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
    public MemoryTerms memoryTerms(int steps) {
        long request = Math.min(steps, maxSpeculationSpan);
        return new MemoryTerms(request, 2 * request, 3 * request, "speculate over fewer steps (--max-span S)", maxConcurrentTrialSteps);
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        // In the spec grammar (speculative:key=value,...): every key but the test hook (variant) parses back.
        m.put("rho", rho);
        m.put("early", earlyDecision);
        m.put("max-span", maxSpeculationSpan == Integer.MAX_VALUE ? "all" : maxSpeculationSpan);
        if (maxConcurrentTrialSteps != DEFAULT_MAX_CONCURRENT_TRIAL_STEPS) m.put("trial-steps", maxConcurrentTrialSteps);
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

    /**
     * {@return the least r >= from whose batch ends past trial {@code end}, or an r whose batch does
     * not (the caller then advances by one trial) when no such r is near}. Jumps by logarithms to
     * the neighbourhood of the answer, so a tiny rho costs a few evaluations, not ~ log(end)/rho.
     */
    int firstBatchEndingAfter(int end, int from) {
        double logBase = Math.log(1.0 + rho); // the base pow sees: 1 + rho as rounded
        double guess = Math.floor(Math.log(end) / logBase) - 2;
        if (guess > from && guess < Integer.MAX_VALUE - 64 && batchStart((int) guess) <= end) from = (int) guess;
        for (int i = 0; i < 64 && from < Integer.MAX_VALUE; i++, from++) {
            if (batchStart(from) > end) return from;
        }
        return from;
    }

    @Override
    public String toString() {
        return name() + settings();
    }

    /** The recursion for one sample; the trial budget is the run's, shared through its metrics. */
    private final class Recursion<P, Y> {
        private final StepProcess<P, Y> process;
        private final RunMetrics metrics;
        private final TrialBudget budget;

        Recursion(StepProcess<P, Y> process, RunMetrics metrics) {
            this.process = process;
            this.metrics = metrics;
            this.budget = metrics.trialBudget(maxConcurrentTrialSteps);
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
     * the output exact whatever order the trials finish in. Trials start in index order, batch by
     * geometric batch, as far as the run's {@link TrialBudget} admits (one trial always runs).
     */
    private final class Fallback<P, Y> implements TrialBudget.Waiter {
        private static final byte RUNNING = 0, REJECTED = 1, ACCEPTED = 2;

        final Deferred<Sampled<Y>> result = new Deferred<>();
        private final Recursion<P, Y> rec;
        private final Node node;
        private final P prefix;
        private final Speculation<P, Y> spec;
        private final int span;
        private final Runnable abandon = this::abandon;

        private int batch;                  // r: the current batch ends at batchStart(r)
        private int batchEnd = 1;           // trials of the current batch: [.., batchEnd)
        private int cursor = 1;             // every trial in [1, cursor) was rejected
        private int next = 1;               // trials [cursor, next) have started
        private int firstAccepted = Integer.MAX_VALUE;
        private int running;
        private boolean done;               // decided, or abandoned with its enclosing trial
        private boolean waiting;            // queued with the budget
        // Trials [cursor, next) in a ring indexed by j & (length - 1).
        private Node[] trials = new Node[4];
        private Object[] outcomes = new Object[4];
        private byte[] status = new byte[4];

        Fallback(Recursion<P, Y> rec, Node node, P prefix, Speculation<P, Y> spec) {
            this.rec = rec;
            this.node = node;
            this.prefix = prefix;
            this.spec = spec;
            this.span = spec.to() - spec.from();
            rec.metrics.fallback(node.depth());
            if (node.scope().isCancelled()) {
                done = true;
                return;
            }
            node.scope().onCancel(abandon); // the trial this fallback runs in may be cancelled
            nextBatch();
            want();
        }

        /** Geometric batches [ceil((1+rho)^r), ceil((1+rho)^(r+1))), skipping empty ones. */
        private void nextBatch() {
            if (batchEnd >= MAX_TRIALS) {
                throw new OracleException("a fallback at depth " + node.depth() + " over steps [" + spec.from() + ", "
                        + spec.to() + ") rejected " + MAX_TRIALS + " trials: mu and nu disagree in a way no consistent oracle allows");
            }
            batch = firstBatchEndingAfter(batchEnd, batch);
            // At least one more trial: with a tiny rho, 1 + rho rounds to 1 (or its powers grow too
            // slowly to tell apart) and the geometric batches would never end. Any schedule that
            // returns the lowest accepted index is exact, so this changes rounds, never samples.
            batchEnd = Math.max(batchEnd + 1, batchStart(batch));
        }

        /** Trials worth starting end here: the batch, and (deciding early) the first accepted index. */
        private int startLimit() {
            return earlyDecision ? Math.min(batchEnd, firstAccepted) : batchEnd;
        }

        /** Starts the own trial if none runs, then asks the budget for the rest of the batch. */
        private void want() {
            if (!done) {
                if (running == 0 && next < startLimit()) start(true);
                if (!waiting && next < startLimit() && span <= rec.budget.limit()) {
                    waiting = true;
                    rec.budget.await(this);
                }
            }
            rec.budget.pump();
        }

        @Override
        public boolean fill() {
            while (!done && next < startLimit()) {
                if (!start(false)) return false;
            }
            waiting = false;
            return true;
        }

        private boolean start(boolean own) {
            if (!rec.budget.acquire(span, own)) return false;
            int j = next++;
            if (next - cursor > trials.length) grow();
            Node t = node.trial(j);
            int i = j & (trials.length - 1);
            trials[i] = t;
            status[i] = RUNNING;
            running++;
            rec.metrics.trialStarted(node.depth());
            rec.halves(t, prefix, spec.from(), spec.to()).whenDone(y -> finish(j, t, y));
            return true;
        }

        private void grow() {
            int len = trials.length * 2;
            Node[] t = new Node[len];
            Object[] o = new Object[len];
            byte[] st = new byte[len];
            for (int j = cursor; j < next - 1; j++) {
                int a = j & (trials.length - 1), b = j & (len - 1);
                t[b] = trials[a];
                o[b] = outcomes[a];
                st[b] = status[a];
            }
            trials = t;
            outcomes = o;
            status = st;
        }

        private void finish(int j, Node t, Sampled<Y> y) {
            if (done || t.scope().isCancelled()) return; // a cancelled trial gave its steps back already
            running--;
            rec.budget.release(span);
            double logNu = spec.logNu(y.value());
            double pAccept = 1.0 - Math.exp(logNu - y.logDensity());
            boolean accept = t.uniform(Purpose.TRIAL_ACCEPT, 0) < pAccept;
            int i = j & (trials.length - 1);
            status[i] = accept ? ACCEPTED : REJECTED;
            outcomes[i] = y;
            if (accept && j < firstAccepted) firstAccepted = j;
            if (variant == Variant.FIRST_FINISHED && accept) {
                decide(j);
            } else {
                while (cursor < next && status[cursor & (trials.length - 1)] == REJECTED) {
                    int c = cursor & (trials.length - 1);
                    trials[c] = null;
                    outcomes[c] = null;
                    cursor++;
                }
                if (cursor == batchEnd) {
                    nextBatch(); // every trial of the batch was rejected
                } else if (cursor < next && status[cursor & (trials.length - 1)] == ACCEPTED
                        && (earlyDecision || (next == batchEnd && running == 0))) {
                    decide(cursor);
                }
            }
            want(); // refills this fallback (if undecided) and serves waiting ones with the freed steps
        }

        private void decide(int j) {
            @SuppressWarnings("unchecked") Sampled<Y> y = (Sampled<Y>) outcomes[j & (trials.length - 1)];
            cancelRunning(j);
            node.scope().forget(abandon);
            rec.metrics.trialAccepted(node.depth());
            result.complete(y);
        }

        /** The trial this fallback runs in was cancelled: so are its own running trials. */
        private void abandon() {
            if (!done) cancelRunning(-1);
        }

        private void cancelRunning(int keep) {
            done = true;
            for (int j = cursor; j < next; j++) {
                int i = j & (trials.length - 1);
                if (j != keep && status[i] == RUNNING) {
                    running--;
                    rec.budget.release(span);
                    trials[i].scope().cancel();
                }
                trials[i] = null;
                outcomes[i] = null;
            }
        }
    }
}
