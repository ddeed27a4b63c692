package io.autospec.ar;

import io.autospec.core.ChainStrategy;
import io.autospec.core.Coupling;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.RunMetrics;
import io.autospec.core.StepProcess;
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
 * {@link DraftPolicy} ({@link AutoSampler}) drafted candidates are swept next to Jacobi's own iterate
 * in the same rounds and the longest certified prefix wins ({@link FixedPointRun}).
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
        REDRAW_NOISE,
        /**
         * Slow, not wrong: while the policy drafts, Jacobi's iterate is replaced after every round by
         * the drafts (restarted at the certified prefix, its own values beyond them), so it no longer
         * certifies as far as the {@code jacobi} strategy after every round. The samples stay the
         * sequential ones; the rounds bound breaks.
         */
        REPLACE_ITERATE
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

    /** A planted slow rule, for the tests of {@link AutoSampler}: see {@link Planted#REPLACE_ITERATE}. */
    JacobiSampler plantedReplaceIterate() {
        return new JacobiSampler(window, Planted.REPLACE_ITERATE, coupling);
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
        return (Deferred<P>) sweeps(ar, root, (s, c, n) -> false, null, null);
    }

    /** {@return the fixed-point run of its window and coupling} (none for a planted variant: only the real strategy may be run elsewhere) */
    @Override
    public java.util.Optional<io.autospec.core.DeviceRounds> deviceRounds() {
        return planted == Planted.NONE ? java.util.Optional.of(new io.autospec.core.FixedPoint(window, coupling)) : java.util.Optional.empty();
    }

    static ArProcess requireAr(StepProcess<?, ?> process, String strategy) {
        if (!(process instanceof ArProcess ar)) {
            throw new IllegalArgumentException("the " + strategy + " strategy applies to autoregressive models only");
        }
        return ar;
    }

    /** {@return the planted variant (NONE for the real strategy)} */
    Planted planted() {
        return planted;
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
     * Runs the rounds of one sample ({@link FixedPointRun}): Jacobi's iterate and, with a draft
     * policy ({@code drafts} non-null, for {@link AutoSampler}), drafted candidates next to it. Before
     * each round, if steps remain uncertified and {@code rule} says so, the certified prefix and the
     * number of rounds so far go to {@code handover}, whose result is the sample (nothing of the
     * uncertified iterates is kept).
     */
    Deferred<Branch> sweeps(ArProcess ar, Node root, HandoverRule rule, BiFunction<Branch, Integer, Deferred<Branch>> handover,
                            DraftPolicy.Settings drafts) {
        Deferred<Branch> result = new Deferred<>();
        new FixedPointRun(this, ar, root, rule, handover, drafts == null ? null : new DraftPolicy(drafts), result).round();
        return result;
    }

    /** {@link #sweeps}, going on from the state a backend's device rounds left instead of from the start. */
    Deferred<Branch> resumeSweeps(ArProcess ar, Node root, HandoverRule rule, BiFunction<Branch, Integer, Deferred<Branch>> handover,
                                  DraftPolicy.Settings drafts, ResidentResult.FixedPointState state) {
        Deferred<Branch> result = new Deferred<>();
        new FixedPointRun(this, ar, root, rule, handover, drafts == null ? null : new DraftPolicy(drafts), result).resume(state);
        return result;
    }

    @Override
    public String toString() {
        return name() + settings();
    }
}
