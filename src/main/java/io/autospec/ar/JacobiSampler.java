package io.autospec.ar;

import io.autospec.core.ChainStrategy;
import io.autospec.core.Coupling;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.RunMetrics;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
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
 * values, W queries a round); W = all steps is the plain Jacobi iteration. The argument never uses
 * where the previous iterate's uncertified values came from, so they may be any guesses: with a
 * {@code Redraft} policy ({@link AutoSampler}) they become drafts after a stall, or a second iterate
 * of drafts is verified in the same round (hedging) and the longer certified prefix of the two wins.
 *
 * <p>Each iterate value at step t depends only on u_0..u_t, so the certified prefix length after
 * any sweep is a stopping time of the sequential sampler's uniforms: {@link AutoSampler} may stop
 * on it and hand the rest to another exact strategy.
 *
 * <p><b>Couplings.</b> Everything above holds for any {@link Coupling} x_t = C(p_t, r_t) in place of
 * the inverse CDF, with r_t the step's fixed random numbers (one uniform, or one per value for
 * Gumbel-max), computed once per step and reused by every sweep: the fixed point is the
 * {@code sequential} sample under the same coupling. The coupling changes only how often a value
 * stays put when its conditional moves, i.e. the rounds. Under Gumbel-max the window holds q numbers
 * a step (W x q doubles a sample).
 *
 * <p>Worst case n rounds (dependencies that advance one step per sweep, e.g. a left-to-right
 * chain that rarely coalesces); on chains in random order about log n.
 */
public final class JacobiSampler implements ChainStrategy {
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
        PEEK,
        /**
         * Re-drafting: also certifies the first step after the certified prefix from its draft, which
         * was drawn given a shorter prefix (not the conditional), without verifying it.
         */
        DRAFT_CERTIFY,
        /**
         * Redraws every step's random numbers at each sweep (keyed by the sweep too) instead of fixing
         * them once: each certified value is still a draw from its conditional, but no longer the
         * sequential sample's.
         */
        REDRAW_NOISE
    }

    private final int window;
    private final Planted planted;
    private final Coupling coupling;

    private JacobiSampler(int window, Planted planted, Coupling coupling) {
        if (window < 1) throw new IllegalArgumentException("Jacobi window must be >= 1, got " + window);
        if (coupling == null) throw new IllegalArgumentException("coupling must not be null");
        this.window = window;
        this.planted = planted;
        this.coupling = coupling;
    }

    private JacobiSampler(int window, Planted planted) {
        this(window, planted, Coupling.AUTO);
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
        return new JacobiSampler(window, Planted.OVER_CERTIFY, coupling);
    }

    /** A deliberately wrong re-drafting rule, for the tests of {@link AutoSampler}: see {@link Planted#DRAFT_CERTIFY}. */
    JacobiSampler plantedDraftCertify() {
        return new JacobiSampler(window, Planted.DRAFT_CERTIFY, coupling);
    }

    /** A deliberately wrong hand-over rule, for the tests of {@link AutoSampler}: see {@link Planted#PEEK}. */
    JacobiSampler plantedPeek() {
        return new JacobiSampler(window, Planted.PEEK, coupling);
    }

    /** A deliberately wrong variant for the tests: see {@link Planted#REDRAW_NOISE}. */
    JacobiSampler plantedRedrawNoise() {
        return new JacobiSampler(window, Planted.REDRAW_NOISE, coupling);
    }

    /**
     * The same strategy coupling each step's fixed random numbers to its value by {@code c}: the
     * output is the {@code sequential} sample under {@code c}, bit for bit (default {@link Coupling#AUTO}: inverse CDF at q = 2, Gumbel-max at q >= 3).
     */
    public JacobiSampler coupling(Coupling c) {
        return new JacobiSampler(window, planted, c);
    }

    /** {@return how a step's random numbers become its value} */
    public Coupling coupling() {
        return coupling;
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
        if (coupling != Coupling.AUTO) m.put("coupling", coupling.name());
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

    /**
     * Re-drafting (for {@link AutoSampler}): after {@code stallSweeps} stalled sweeps in a row (a sweep
     * s &gt;= 2 that certified at most one step with more than 1/{@code stallFraction} of the steps
     * uncertified), the guesses of the next iterate at the first uncertified steps are drafts: values
     * drawn with the same u_t from the conditionals given a certified prefix only (see AutoSampler).
     *
     * @param minWindow smallest draft window (steps drafted from one context)
     * @param levels    contexts drafted from per round while drafting: the certified prefix and
     *                  the prefix extended by the current guess up to fractions of the expected advance
     * @param hedge     whether draft wins switch hedging on
     */
    record Redraft(int minWindow, int levels, int stallFraction, int stallSweeps, boolean hedge) {
        Redraft {
            if (minWindow < 1) throw new IllegalArgumentException("draft window must be >= 1, got " + minWindow);
            if (levels < 1) throw new IllegalArgumentException("draft levels must be >= 1, got " + levels);
            if (stallFraction < 1) throw new IllegalArgumentException("stall fraction must be >= 1, got " + stallFraction);
            if (stallSweeps < 1) throw new IllegalArgumentException("stalled sweeps must be >= 1, got " + stallSweeps);
        }
    }

    /** {@link #sweeps(ArProcess, Node, HandoverRule, BiFunction)} with re-drafting ({@code redraft} null: none). */
    Deferred<Branch> sweeps(ArProcess ar, Node root, HandoverRule rule, BiFunction<Branch, Integer, Deferred<Branch>> handover,
                            Redraft redraft) {
        Deferred<Branch> result = new Deferred<>();
        new Sweeps(ar, root, rule, handover, result, redraft).sweep();
        return result;
    }

    private final class Sweeps {
        private final ArProcess ar;
        private final Node root;
        private final HandoverRule rule;
        private final BiFunction<Branch, Integer, Deferred<Branch>> handover;
        private final Deferred<Branch> result;
        private final Redraft redraft; // null: plain Jacobi
        private final int n;

        private Branch certified;   // the final prefix: steps [0, c)
        private int known;          // the iterate has values (guesses) at steps [c, known)
        private int[] iterate = new int[0];  // values of steps [c, known)
        private double[][] noise = new double[0][]; // the random numbers of steps [c, known)
        private int sweeps;
        private int[] history = new int[8]; // certified length after each sweep (index 0: before the first)

        // Re-drafting state: a function of this sample's finished sweeps (values, certified lengths) only.
        private boolean drafting;   // the guesses at [c, draftEnd) are drafts
        private int draftEnd;
        private double reach;       // running mean of the advance of drafting sweeps
        private int stalledRun;     // stalled sweeps in a row
        private int draftWinRun;    // sweeps in a row (not drafting) that the level-0 draft would have certified as far
        private boolean hedging;    // each sweep also verifies drafted guesses next to Jacobi's own
        private int[] hedge = new int[0]; // hedging: drafted guesses at [c, c + hedge.length)
        private int jacobiWins;     // drafting sweeps in a row where Jacobi's own guesses would have gone further
        private int[] alt;          // drafting: Jacobi's own next iterate at [c, c + alt.length), for the track record

        Sweeps(ArProcess ar, Node root, HandoverRule rule, BiFunction<Branch, Integer, Deferred<Branch>> handover,
               Deferred<Branch> result, Redraft redraft) {
            this.ar = ar;
            this.root = root;
            this.rule = rule;
            this.handover = handover;
            this.result = result;
            this.redraft = redraft;
            this.n = ar.length();
            this.certified = ar.start(root);
            this.history[0] = certified.length();
        }

        Sweeps(ArProcess ar, Node root, HandoverRule rule, BiFunction<Branch, Integer, Deferred<Branch>> handover,
               Deferred<Branch> result) {
            this(ar, root, rule, handover, result, null);
        }

        /** The random numbers of step t: those of the sequential strategy's draw of step t (its stream, index t). */
        private double[] noise(int t) {
            Node step = root.step(t);
            return coupling.noise(planted == Planted.REDRAW_NOISE ? step.trial(sweeps) : step, t, ar.alphabet());
        }

        /** One round: redraws the steps of the window given the previous iterate (and drafts, when re-drafting). */
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
            // While drafting, the sweep covers the drafted guesses (and at least minWindow steps, at most
            // the window); later guesses keep their values unqueried. Otherwise the window.
            int end = drafting ? (int) Math.min(Math.min(n, (long) c + window), Math.max(draftEnd, (long) c + redraft.minWindow()))
                    : (int) Math.min(n, (long) c + window);
            int valued = Math.min(known, end); // steps [c, valued) have a guess in this sweep's contexts
            Branch current = valued > c ? ar.extend(certified, iterate, valued - c) : certified;
            double[][] u = new double[end - c][];
            for (int t = c; t < end; t++) u[t - c] = t < known && planted != Planted.REDRAW_NOISE ? noise[t - c] : noise(t);

            // Draft requests, in the same round: from the certified prefix (level 0) and, while drafting,
            // from the prefix extended by the current guess to fractions of the expected advance.
            int[] starts = new int[0], counts = new int[0];
            int[] ctx = hedging ? hedge : iterate; // the guesses the draft contexts extend the prefix by
            int ctxKnown = hedging ? c + hedge.length : known;
            if (redraft != null && sweeps >= 1) {
                int levels = drafting || hedging ? redraft.levels() : 1;
                int w = (int) Math.min(window, Math.max(redraft.minWindow(), Math.min(n, Math.ceil(2 * reach))));
                starts = new int[levels];
                counts = new int[levels];
                int k = 0;
                for (int i = 0; i < levels; i++) {
                    int a = c + (int) (i * reach / levels);
                    if (a > ctxKnown && a > c || a >= n || k > 0 && a == starts[k - 1]) continue;
                    starts[k] = a;
                    counts[k] = Math.min(w, n - a);
                    k++;
                }
                starts = Arrays.copyOf(starts, k);
                counts = Arrays.copyOf(counts, k);
            }
            int drafts = starts.length;
            // Hedging: the drafted guesses are verified in the same round as Jacobi's own iterate.
            int hLen = hedging ? Math.min(hedge.length, end - c) : 0;
            Track hedged = hLen > 0 ? new Track(hedge, ar.extend(certified, hedge, hLen), c + hLen) : null;
            double[][] draftRows = new double[drafts][];
            double[][] jacobiRows = new double[2][];
            int[] pending = {1 + drafts + (hedged != null ? 1 : 0)};
            int[] fStarts = starts, fCounts = counts;
            Runnable ready = () -> {
                if (--pending[0] == 0) finish(c, end, new Track(iterate, current, valued), jacobiRows[0], hedged, jacobiRows[1], u,
                        ctx, fStarts, fCounts, draftRows);
            };
            ar.iterate(root.scope(), current, c, end - c).whenDone(rows -> {
                jacobiRows[0] = rows;
                ready.run();
            });
            if (hedged != null) {
                ar.iterate(root.scope(), hedged.context, c, hLen).whenDone(rows -> {
                    jacobiRows[1] = rows;
                    ready.run();
                });
            }
            for (int l = 0; l < drafts; l++) {
                int level = l;
                Branch context = starts[l] > c ? ar.extend(certified, ctx, starts[l] - c) : certified;
                ar.marginals(root.scope(), context, starts[l], counts[l]).whenDone(rows -> {
                    draftRows[level] = rows;
                    ready.run();
                });
            }
        }

        /**
         * A finished sweep: certifies what it can, updates the re-drafting state and draws the drafts,
         * then sets the next sweep's guesses and starts it.
         */
        private void finish(int c, int end, Track main, double[] rows, Track hedged, double[] hedgeRows, double[][] u,
                            int[] ctx, int[] starts, int[] counts, double[][] draftRows) {
            sweeps++;
            Outcome o = certify(c, end, main, u, rows);
            if (hedged != null) {
                // The drafted guesses certified further: their prefix is final (the same induction).
                Outcome h = certify(c, hedged.valued, hedged, u, hedgeRows);
                if (h.done > o.done) {
                    o.done = h.done;
                    o.nextCertified = h.nextCertified;
                    o.values = h.next;
                    o.hedgeWon = true;
                }
            }
            drafts(o, c, end, main.valued, u, ctx, starts, counts, draftRows);
            certified = o.nextCertified;
            if (sweeps >= history.length) history = Arrays.copyOf(history, 2 * history.length);
            history[sweeps] = o.done;
            nextGuesses(o, c, end, u);
            sweep();
        }

        /** One iterate a sweep queries at: its guesses at [c, valued), as a context. */
        private record Track(int[] guesses, Branch context, int valued) {}

        /** What one sweep found: its values, the first changed step, the new certified prefix, its drafts. */
        private static final class Outcome {
            final int[] next;        // this sweep's values at [c, end)
            final int firstChange;   // the first step whose value changed (or had no guess)
            int done;                // the certified length after the sweep
            Branch nextCertified;    // the certified prefix [0, done)
            int[] values;            // the certified values at [c, done) (next, or the hedged track's)
            boolean hedgeWon;        // the hedged track certified further than Jacobi's own
            int[] draft = new int[0]; // drafted guesses at [dEnd - draft.length, dEnd)
            int dEnd;

            Outcome(int[] next, int firstChange, int done, Branch nextCertified) {
                this.next = next;
                this.firstChange = firstChange;
                this.done = done;
                this.nextCertified = nextCertified;
                this.values = next;
            }
        }

        /**
         * Draws the window's values from the sweep's rows; the prefix up to and including the first
         * changed step is certified (its context was the true prefix).
         */
        private Outcome certify(int c, int end, Track track, double[][] u, double[] rows) {
            int valued = track.valued;
            Branch current = track.context;
            int[] guesses = track.guesses;
            int[] next = new int[end - c];
            int firstChange = valued; // steps from `valued` on had no guess: they count as changed
            for (int t = c; t < end; t++) {
                int i = t - c;
                if (t <= firstChange) {
                    // The context of step t is the true prefix: draw it, with the oracle's errors.
                    next[i] = ar.draw(rows, i, coupling, u[i], current, t, Math.min(t, valued));
                    if (t < firstChange && next[i] != guesses[i]) firstChange = t;
                } else {
                    // A context built from stale values may have probability zero: any value will do.
                    int v = coupling.draw(rows, i * ar.alphabet(), ar.alphabet(), u[i]);
                    next[i] = Math.max(v, 0);
                }
            }
            int done = Math.min(firstChange + 1 + (planted == Planted.OVER_CERTIFY ? 1 : 0), end);
            return new Outcome(next, firstChange, done, ar.extend(certified, next, done - c));
        }

        /**
         * Re-drafting: updates the mode (stalls switch to drafting, Jacobi's better track record
         * switches back; draft wins switch hedging on) and, while drafting or hedging, draws the drafts
         * beyond the certified prefix from the deepest draft request whose context lies inside it.
         */
        private void drafts(Outcome o, int c, int end, int valued, double[][] u, int[] ctx, int[] starts, int[] counts,
                            double[][] draftRows) {
            int done = o.done;
            // The deepest draft whose context lies inside the new certified prefix: its context's guesses
            // equal the certified values, so it is a draw, with the same u_t, from the conditionals given
            // the true prefix of length starts[best].
            int agree = 0;
            while (c + agree < done && agree < ctx.length && ctx[agree] == o.values[agree]) agree++;
            int best = -1;
            for (int l = 0; l < starts.length; l++) if (starts[l] <= c + agree) best = l;
            int dStart = best < 0 ? 0 : starts[best], dEnd = best < 0 ? done : Math.max(done, dStart + counts[best]);

            if (redraft != null) {
                int advance = done - c;
                if (drafting) {
                    reach = reach == 0 ? advance : (reach + advance) / 2;
                    // Track record on the steps certified now: would Jacobi's own guesses have gone further?
                    int used = o.firstChange < valued ? o.firstChange - c : done - c;
                    int jac = 0;
                    while (alt != null && jac < alt.length && c + jac < done && alt[jac] == o.next[jac]) jac++;
                    jacobiWins = jac > used ? jacobiWins + 1 : 0;
                    if (jacobiWins >= redraft.stallSweeps()) drafting = false;
                } else if (hedging) {
                    reach = reach == 0 ? advance : (reach + advance) / 2;
                }
                boolean stalled = sweeps >= 2 && advance <= 1 && (long) advance * redraft.stallFraction() < n - c;
                // A draft win: the level-0 draft (drawn given the certified prefix before the sweep) agrees
                // with the sweep's values at least as far as the sweep certified, and the sweep advanced
                // less than a draft window: drafts would have certified as much. Spanning trees and
                // tilings in their fixed order advance a few steps a sweep (never one, so no stall).
                boolean draftWin = !drafting && !hedging && best == 0 && sweeps >= 2 && done < n && advance < counts[0]
                        && draftAgreement(c, end, u, o.next, draftRows[0], counts[0]) >= advance;
                draftWinRun = draftWin ? draftWinRun + 1 : 0;
                stalledRun = stalled ? stalledRun + 1 : 0;
                if (!drafting && best >= 0 && stalledRun >= redraft.stallSweeps()) {
                    // One-step sweeps: Jacobi's iterate is a shifted copy of the truth; drafts replace it.
                    drafting = true;
                    hedging = false;
                    reach = 0;
                    jacobiWins = 0;
                } else if (redraft.hedge() && !drafting && !hedging && best >= 0 && draftWinRun >= redraft.stallSweeps()) {
                    // Draft wins: Jacobi's own iterate may still be converging further on (mean-field
                    // models), so the drafts are verified next to it, never instead of it.
                    hedging = true;
                    reach = 0;
                }
            }
            int[] draft = new int[Math.max(0, dEnd - done)];
            if (best >= 0 && (drafting || hedging)) {
                double[] d = draftRows[best];
                for (int t = done; t < dEnd; t++) {
                    int v = coupling.draw(d, (t - dStart) * ar.alphabet(), ar.alphabet(), t < end ? u[t - c] : noise(t));
                    draft[t - done] = Math.max(v, 0);
                }
                if (planted == Planted.DRAFT_CERTIFY && done < dEnd) {
                    // Wrong: the draft at step `done` was drawn given only the first dStart < done steps.
                    o.nextCertified = ar.extend(o.nextCertified, draft, 1);
                    o.done++;
                    draft = Arrays.copyOfRange(draft, 1, draft.length);
                }
            }
            o.draft = draft;
            o.dEnd = dEnd;
        }

        /**
         * How many steps from c on the draft drawn from {@code rows} (given the first c steps, over
         * {@code count} steps) agrees with this sweep's values (certified ones, then Jacobi's next guesses).
         */
        private int draftAgreement(int c, int end, double[][] u, int[] next, double[] rows, int count) {
            int m = 0;
            while (m < count && c + m < end
                    && Math.max(coupling.draw(rows, m * ar.alphabet(), ar.alphabet(), u[m]), 0) == next[m]) m++;
            return m;
        }

        /**
         * The next guesses: drafts while drafting, then this sweep's values, then older unqueried ones;
         * while hedging, the drafts go to the second track and the iterate keeps Jacobi's values.
         */
        private void nextGuesses(Outcome o, int c, int end, double[][] u) {
            int done = o.done, dEnd = o.dEnd;
            int[] draft = o.draft, next = o.next;
            int newKnown = Math.max(Math.max(end, known), drafting ? dEnd : 0);
            int[] guess = new int[Math.max(0, newKnown - done)];
            double[][] gu = new double[guess.length][];
            for (int t = done; t < newKnown; t++) {
                int i = t - done;
                if (drafting && t < dEnd) guess[i] = draft[t - (dEnd - draft.length)];
                else if (t < end) guess[i] = next[t - c];
                else guess[i] = iterate[t - c];
                gu[i] = t < end ? u[t - c] : t < known ? noise[t - c] : noise(t);
            }
            alt = drafting && done < end ? Arrays.copyOfRange(next, done - c, end - c) : null;
            draftEnd = drafting ? dEnd : 0;
            hedge = hedging ? draft : new int[0]; // drafted guesses at [done, dEnd), verified next to the iterate
            iterate = guess;
            noise = gu;
            known = newKnown;
        }
    }
}
