package io.autospec.ar;

import io.autospec.core.Deferred;
import io.autospec.core.Node;
import io.autospec.core.RunMetrics;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import io.autospec.rng.Purpose;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BiFunction;

/**
 * Exact fixed-point (Jacobi) decoding for any-order AR: coupling instead of rejection.
 *
 * <p>Fix the order sigma and one uniform u_t per step, the very numbers the {@code sequential}
 * strategy uses (step t's stream, purpose DRAFT). Sequential sampling is then a map x = T(x):
 * x_t = F^{-1}(u_t | x_{&lt;t}), the inverse-CDF draw of step t given the steps before it. Jacobi
 * iterates T on a window of uncertified steps, one round per sweep: every step t of the window is
 * redrawn, with the same u_t, from its conditional given the <em>previous</em> iterate at steps
 * &lt; t (one batched request, one query per step). A step that enters the window without a value is
 * queried given the iterate as far as it goes (at the first sweep: the marginal at the certified
 * prefix).
 *
 * <p><b>Certification, and why it is exact.</b> Let c be the certified prefix and j the first
 * step of the window whose value changed in a sweep (a step without a previous value counts as
 * changed). Steps c..j were all drawn given the previous iterate at steps before them, which equals
 * the new one there; by induction from step c (whose context is the certified prefix alone) each
 * of them is exactly the sequential draw F^{-1}(u_t | true prefix). So steps [c, j] are final and
 * never re-queried; every sweep certifies at least one step, and the output is the sequential
 * sample with the same uniforms, bit for bit. The window of at most W steps bounds memory (W
 * values, W queries a round); W = all steps is the plain Jacobi iteration.
 *
 * <p>Each iterate value at step t depends only on u_0..u_t, so the certified prefix length after
 * any sweep is a stopping time of the sequential sampler's uniforms: {@link AutoSampler} may stop
 * on it and hand the rest to another exact strategy.
 *
 * <p>Worst case n rounds (dependencies that advance one step per sweep, e.g. a left-to-right
 * chain that rarely coalesces); on chains in random order about log n.
 */
public final class JacobiSampler implements Strategy {
    /** Window meaning "every uncertified step". */
    public static final int ALL = Integer.MAX_VALUE;

    /** Deliberately wrong variants, for the power checks of the tests only. */
    enum Planted {
        NONE,
        /** Also certifies the step after the first changed one (drawn from a stale value), never re-querying it. */
        OVER_CERTIFY,
        /**
         * Hands over (see {@link #sweeps}) only when the first uncertified step's iterate value is 1:
         * a decision that peeks at the uniforms of the steps it gives away.
         */
        PEEK
    }

    private final int window;
    private final Planted planted;

    private JacobiSampler(int window, Planted planted) {
        if (window < 1) throw new IllegalArgumentException("Jacobi window must be >= 1, got " + window);
        this.window = window;
        this.planted = planted;
    }

    /** Sweeps over every uncertified step. */
    public static JacobiSampler create() {
        return new JacobiSampler(ALL, Planted.NONE);
    }

    /** Sweeps over at most {@code w} uncertified steps at a time (memory: w values a sample). */
    public static JacobiSampler window(int w) {
        return new JacobiSampler(w, Planted.NONE);
    }

    /**
     * A deliberately wrong variant for the power checks of the tests: it also certifies the step
     * after the first changed one, whose draw used a stale value, and never re-queries it.
     */
    JacobiSampler plantedOverCertify() {
        return new JacobiSampler(window, Planted.OVER_CERTIFY);
    }

    /** A deliberately wrong hand-over rule, for the tests of {@link AutoSampler}: see {@link Planted#PEEK}. */
    JacobiSampler plantedPeek() {
        return new JacobiSampler(window, Planted.PEEK);
    }

    public int window() {
        return window;
    }

    @Override
    public String name() {
        return "jacobi";
    }

    @Override
    public boolean exact() {
        return planted == Planted.NONE;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window == ALL ? "all" : window);
        if (planted != Planted.NONE) m.put("variant", planted.name());
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics) {
        ArProcess ar = requireAr(process, name());
        Deferred<Branch> result = new Deferred<>();
        new Sweeps(ar, root, (s, c, n) -> false, null, result).sweep();
        return (Deferred<P>) result;
    }

    static ArProcess requireAr(StepProcess<?, ?> process, String strategy) {
        if (!(process instanceof ArProcess ar)) {
            throw new IllegalArgumentException("the " + strategy + " strategy applies to autoregressive models only");
        }
        return ar;
    }

    /**
     * When to stop sweeping: a function of the certified prefix lengths only. {@code certified[s]}
     * is the certified length after sweep s ({@code certified[0]}: before the first), for
     * s = 0..sweeps; the array is not to be kept.
     */
    @FunctionalInterface
    interface HandoverRule {
        boolean handOver(int sweeps, int[] certified, int n);
    }

    /**
     * Runs the sweeps of one sample. Before each sweep, if steps remain uncertified and
     * {@code rule} says so, the certified prefix and the number of sweeps so far go to
     * {@code handover}, whose result is the sample (nothing of the uncertified iterate is kept).
     */
    Deferred<Branch> sweeps(ArProcess ar, Node root, HandoverRule rule, BiFunction<Branch, Integer, Deferred<Branch>> handover) {
        Deferred<Branch> result = new Deferred<>();
        new Sweeps(ar, root, rule, handover, result).sweep();
        return result;
    }

    @Override
    public String toString() {
        return name() + settings();
    }

    private final class Sweeps {
        private final ArProcess ar;
        private final Node root;
        private final HandoverRule rule;
        private final BiFunction<Branch, Integer, Deferred<Branch>> handover;
        private final Deferred<Branch> result;
        private final int n;

        private Branch certified;   // the final prefix: steps [0, c)
        private int known;          // the iterate has values at steps [c, known)
        private int[] iterate = new int[0];  // values of steps [c, known)
        private double[] uniforms = new double[0]; // u_t of steps [c, known)
        private int sweeps;
        private int[] history = new int[8]; // certified length after each sweep (index 0: before the first)

        Sweeps(ArProcess ar, Node root, HandoverRule rule, BiFunction<Branch, Integer, Deferred<Branch>> handover,
               Deferred<Branch> result) {
            this.ar = ar;
            this.root = root;
            this.rule = rule;
            this.handover = handover;
            this.result = result;
            this.n = ar.length();
            this.certified = ar.start(root);
            this.history[0] = certified.length();
        }

        /** One round: redraws the steps of the window given the previous iterate. */
        void sweep() {
            int c = certified.length();
            if (c == n) {
                result.complete(certified);
                return;
            }
            if (rule.handOver(sweeps, history, n) && (planted != Planted.PEEK || known > c && iterate[0] == 1)) {
                handover.apply(certified, sweeps).whenDone(result::complete);
                return;
            }
            int end = (int) Math.min(n, (long) c + window);
            Branch current = known > c ? ar.extend(certified, iterate, known - c) : certified;
            double[] u = Arrays.copyOf(uniforms, end - c);
            // The same uniform as the sequential strategy's draw of step t (its stream, purpose DRAFT).
            for (int t = known; t < end; t++) u[t - c] = root.step(t).uniform(Purpose.DRAFT, t);
            ar.iterate(root.scope(), current, c, end - c).whenDone(rows -> {
                sweeps++;
                int[] next = new int[end - c];
                int firstChange = known; // steps from `known` on had no value: they count as changed
                for (int t = c; t < end; t++) {
                    int i = t - c;
                    if (t <= firstChange) {
                        // The context of step t is the true prefix: draw it, with the oracle's errors.
                        next[i] = ar.draw(rows, i, u[i], current, t, Math.min(t, known));
                        if (t < firstChange && next[i] != iterate[i]) firstChange = t;
                    } else {
                        // A context built from stale values may have probability zero: any value will do.
                        int v = ArProcess.categorical(rows, i * ar.alphabet(), ar.alphabet(), u[i]);
                        next[i] = Math.max(v, 0);
                    }
                }
                int done = Math.min(firstChange + 1 + (planted == Planted.OVER_CERTIFY ? 1 : 0), end);
                certified = ar.extend(certified, next, done - c);
                if (sweeps >= history.length) history = Arrays.copyOf(history, 2 * history.length);
                history[sweeps] = done;
                iterate = Arrays.copyOfRange(next, done - c, end - c);
                uniforms = Arrays.copyOfRange(u, done - c, end - c);
                known = end;
                sweep();
            });
        }
    }
}
