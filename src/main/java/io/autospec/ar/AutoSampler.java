package io.autospec.ar;

import io.autospec.core.Deferred;
import io.autospec.core.Node;
import io.autospec.core.RunMetrics;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import io.autospec.diffusion.DiffusionProcess;
import io.autospec.diffusion.PicardSampler;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code auto} strategy: fixed-point iteration while it is fast, token windows when it stalls.
 *
 * <p>AR: {@link JacobiSampler} sweeps until it <em>stalls</em> or a cap of rounds is spent (default
 * 2 ceil(log2 n) + 4: on chains in random order Jacobi needs about log n); then the certified
 * prefix is kept and the rest [c, n) is drawn from the prefix by adaptive token windows
 * ({@link TokenSampler#adaptive()}; or fixed windows, or the paper's recursion,
 * {@link SpeculativeSampler}), with randomness from the sample's own {@code rest} stream, which
 * Jacobi never reads. Diffusion: exact Picard iteration (tolerance 0) with a sliding window.
 *
 * <p><b>Stall rule.</b> Every sweep certifies at least one step; sweep 1 certifies exactly one (every
 * later step enters without a value). A sweep s &gt;= 2 <em>stalls</em> when it certified only that
 * one step (less than 1/{@value #STALL_FRACTION} of the steps uncertified before it, and no more
 * than 1). After {@value #STALL_SWEEPS} stalled sweeps in a row the rest goes to token windows: that
 * is the signature of dependencies that advance one step a sweep (a chain read left to right), where
 * Jacobi needs about n rounds. On chains in random order the certified prefix grows irregularly, and
 * two one-step sweeps in a row do happen (curie-weiss, one run of M = 64: 3 samples handed over at
 * certified lengths [0, 1, 2, 3] at n = 256, which cost 19 rounds against Jacobi's 10, and one at
 * [0, 1, 23, 24, 25] at n = 4096, 28 rounds against 16), but three in a row were not seen on the
 * random-order models (benchmarks/RESULTS.md section 7), so Jacobi is left to finish there; near the end (at most
 * {@value #STALL_FRACTION} steps left) a slow sweep is not a stall.
 *
 * <p><b>Why it is exact.</b> Let u_0, u_1, ... be the sequential sampler's uniforms and F_c the
 * information in u_0..u_{c-1} (and the order). A Jacobi iterate's value at step t depends on
 * u_0..u_t only, so the certified length C_s after sweep s is a stopping time of (u_t): {C_s = c}
 * is in F_c. The hand-over sweep S is decided from (s, C_0, ..., C_s) only, never from the
 * uncertified iterate: {S = s, C_s = c} is a union of events {C_0 = c_0, ..., C_s = c} with
 * c_0 &lt;= ... &lt;= c (lengths only grow), each in F_c since F_{c_r} is in F_c; so the
 * final length C = C_S is again a stopping time. The prefix is the sequential draw x_{&lt;C};
 * given F_C the later u_t are still i.i.d. uniform, so the sequential sampler would continue with a
 * draw from mu(. | x_{&lt;C}), and the rest strategy draws from that same law with independent
 * randomness. The rule never looks at other samples' outcomes. (The planted PEEK variant, which
 * also conditions on the first uncertified iterate value, is not a stopping time and is rejected by
 * the tests.)
 */
public final class AutoSampler implements Strategy {
    /** A sweep that certifies less than 1/STALL_FRACTION of the uncertified steps (and only one) stalls. */
    public static final int STALL_FRACTION = 64;
    /** Stalled sweeps in a row (after the first sweep) that hand the rest over. */
    public static final int STALL_SWEEPS = 3;

    private final int budget;     // 0: the default for the model's n
    private final boolean stall;  // hand over after stallSweeps stalled sweeps in a row
    private final int stallFraction;
    private final int stallSweeps;
    private final int window;     // Jacobi window (AR) / Picard window (diffusion)
    private final Strategy rest;   // TokenSampler or SpeculativeSampler
    private final JacobiSampler jacobi;

    /** Default Picard window for diffusion. */
    public static final int DEFAULT_PICARD_WINDOW = 256;

    private AutoSampler(int budget, boolean stall, int stallFraction, int stallSweeps, int window, Strategy rest, JacobiSampler jacobi) {
        if (budget < 0) throw new IllegalArgumentException("auto budget must be >= 0 rounds, got " + budget);
        this.budget = budget;
        this.stall = stall;
        this.stallFraction = stallFraction;
        this.stallSweeps = stallSweeps;
        this.window = window;
        this.rest = rest;
        this.jacobi = jacobi;
    }

    /**
     * Default cap, hand-over on a stall, unbounded Jacobi window, Picard window 256, adaptive token
     * windows for the rest.
     */
    public static AutoSampler create() {
        return new AutoSampler(0, true, STALL_FRACTION, STALL_SWEEPS, JacobiSampler.ALL, TokenSampler.adaptive(), JacobiSampler.create());
    }

    /** At most {@code rounds} Jacobi sweeps before the rest goes to the rest strategy (0: the default). */
    public AutoSampler budget(int rounds) {
        return new AutoSampler(rounds, stall, stallFraction, stallSweeps, window, rest, jacobi);
    }

    /** Whether to hand over early when Jacobi stalls (default true; false: the cap alone decides). */
    public AutoSampler stall(boolean on) {
        return new AutoSampler(budget, on, stallFraction, stallSweeps, window, rest, jacobi);
    }

    /**
     * For the tests: a sweep stalls when it certifies one step with more than {@code fraction} steps
     * uncertified (default {@value #STALL_FRACTION}), and {@code sweeps} stalled sweeps in a row hand
     * over (default {@value #STALL_SWEEPS}), so small models exercise the stall hand-over.
     */
    AutoSampler stallRule(int fraction, int sweeps) {
        return new AutoSampler(budget, stall, fraction, sweeps, window, rest, jacobi);
    }

    /** Jacobi window (AR, memory) and Picard window (diffusion). */
    public AutoSampler window(int w) {
        return new AutoSampler(budget, stall, stallFraction, stallSweeps, w, rest, JacobiSampler.window(w));
    }

    /** The paper's recursion draws the rest. */
    public AutoSampler rest(SpeculativeSampler s) {
        return new AutoSampler(budget, stall, stallFraction, stallSweeps, window, s, jacobi);
    }

    /** Token windows draw the rest (the default: adaptive windows). */
    public AutoSampler rest(TokenSampler s) {
        return new AutoSampler(budget, stall, stallFraction, stallSweeps, window, s, jacobi);
    }

    /** Planted wrong variant for the tests: the Jacobi part over-certifies. */
    AutoSampler plantedOverCertify() {
        return new AutoSampler(budget, stall, stallFraction, stallSweeps, window, rest, jacobi.plantedOverCertify());
    }

    /** Planted wrong variant for the tests: the hand-over decision peeks at the uncertified iterate. */
    AutoSampler plantedPeek() {
        return new AutoSampler(budget, stall, stallFraction, stallSweeps, window, rest, jacobi.plantedPeek());
    }

    /**
     * The hand-over rule before sweep {@code sweeps + 1}, from the certified lengths
     * {@code certified[0..sweeps]} only: the cap is spent, or the last {@value #STALL_SWEEPS} sweeps
     * (all after the first) stalled.
     */
    boolean handOver(int sweeps, int[] certified, int n) {
        if (sweeps >= budgetFor(n)) return true;
        boolean stop = stall && sweeps >= stallSweeps + 1;
        for (int i = 0; stop && i < stallSweeps; i++) stop = stalled(sweeps - i, certified, n);
        return stop;
    }

    private boolean stalled(int s, int[] certified, int n) {
        int advance = certified[s] - certified[s - 1], uncertified = n - certified[s - 1];
        return advance <= 1 && (long) advance * stallFraction < uncertified;
    }

    /** The Jacobi budget for n steps: 2 ceil(log2 n) + 4 unless set. */
    public int budgetFor(int n) {
        if (budget > 0) return budget;
        return 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1))) + 4;
    }

    @Override
    public String name() {
        return "auto";
    }

    @Override
    public boolean exact() {
        return jacobi.exact() && rest.exact();
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("budget", budget == 0 ? "2log2(n)+4" : budget);
        m.put("stall", stall);
        if (stall && (stallFraction != STALL_FRACTION || stallSweeps != STALL_SWEEPS)) {
            m.put("stall-rule", "1/" + stallFraction + " x" + stallSweeps);
        }
        m.put("window", window == JacobiSampler.ALL ? "all" : window);
        m.put("rest", rest.toString());
        if (!jacobi.exact()) m.put("variant", jacobi.settings().get("variant"));
        return m;
    }

    @Override
    @SuppressWarnings("unchecked")
    public <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics) {
        if (process instanceof DiffusionProcess) {
            int w = window == JacobiSampler.ALL ? DEFAULT_PICARD_WINDOW : window;
            return PicardSampler.create(w, 0).sample(process, root, metrics);
        }
        ArProcess ar = JacobiSampler.requireAr(process, name());
        Deferred<Branch> out = jacobi.sweeps(ar, root, this::handOver, (prefix, sweeps) -> rest instanceof TokenSampler t
                ? t.sampleRest(ar, root.rest(), prefix)
                : ((SpeculativeSampler) rest).sampleRest(ar, root.rest(), prefix, prefix.length(), metrics));
        return (Deferred<P>) out;
    }

    @Override
    public String toString() {
        return name() + settings();
    }
}
