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
 * The {@code auto} strategy: fixed-point iteration while it is fast, the paper's recursion when it
 * is not.
 *
 * <p>AR: {@link JacobiSampler} sweeps for at most a budget of rounds (default 2 ceil(log2 n) + 4:
 * on chains in random order Jacobi needs about log n); if steps are still uncertified then, the
 * certified prefix is kept and the rest [c, n) is drawn from the prefix by token windows
 * ({@link TokenSampler}, w = 64; or the paper's recursion, {@link SpeculativeSampler}), with
 * randomness from the sample's own {@code rest} stream, which Jacobi never reads. Measured: where
 * Jacobi is slow (a sticky chain read left to right) token windows beat the recursion by 10x, so
 * they are the default. Diffusion: exact Picard iteration (tolerance 0) with a sliding window.
 *
 * <p><b>Why it is exact.</b> Let u_0, u_1, ... be the sequential sampler's uniforms. A Jacobi
 * iterate's value at step t depends on u_0..u_t only, so the certified length C after the budget
 * is a stopping time of (u_t): the event {C = c} is decided by u_0..u_{c-1}. The prefix is the
 * sequential draw x_{&lt;C}; given u_0..u_{C-1} the later u_t are still i.i.d. uniform, so the
 * sequential sampler would continue with a draw from mu(. | x_{&lt;C}), and the rest strategy draws
 * from that same law with independent randomness. The switch uses only the round count and C, never
 * the uncertified iterate, and never looks at other samples' outcomes.
 */
public final class AutoSampler implements Strategy {
    private final int budget;     // 0: the default for the model's n
    private final int window;     // Jacobi window (AR) / Picard window (diffusion)
    private final Strategy rest;   // TokenSampler or SpeculativeSampler
    private final JacobiSampler jacobi;

    /** Default Picard window for diffusion. */
    public static final int DEFAULT_PICARD_WINDOW = 256;

    private AutoSampler(int budget, int window, Strategy rest, JacobiSampler jacobi) {
        if (budget < 0) throw new IllegalArgumentException("auto budget must be >= 0 rounds, got " + budget);
        this.budget = budget;
        this.window = window;
        this.rest = rest;
        this.jacobi = jacobi;
    }

    /** Default budget, unbounded Jacobi window, Picard window 256, token windows of 64 for the rest. */
    public static AutoSampler create() {
        return new AutoSampler(0, JacobiSampler.ALL, TokenSampler.window(64), JacobiSampler.create());
    }

    /** At most {@code rounds} Jacobi sweeps before the rest goes to the recursion (0: the default). */
    public AutoSampler budget(int rounds) {
        return new AutoSampler(rounds, window, rest, jacobi);
    }

    /** Jacobi window (AR, memory) and Picard window (diffusion). */
    public AutoSampler window(int w) {
        return new AutoSampler(budget, w, rest, JacobiSampler.window(w));
    }

    /** The paper's recursion draws the rest. */
    public AutoSampler rest(SpeculativeSampler s) {
        return new AutoSampler(budget, window, s, jacobi);
    }

    /** Token windows draw the rest (the default, with w = 64). */
    public AutoSampler rest(TokenSampler s) {
        return new AutoSampler(budget, window, s, jacobi);
    }

    /** Planted wrong variant for the tests: the Jacobi part over-certifies. */
    AutoSampler plantedOverCertify() {
        return new AutoSampler(budget, window, rest, jacobi.plantedOverCertify());
    }

    /** Planted wrong variant for the tests: the hand-over decision peeks at the uncertified iterate. */
    AutoSampler plantedPeek() {
        return new AutoSampler(budget, window, rest, jacobi.plantedPeek());
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
        Deferred<Branch> out = jacobi.sweeps(ar, root, budgetFor(ar.length()), (prefix, sweeps) -> rest instanceof TokenSampler t
                ? t.sampleRest(ar, root.rest(), prefix)
                : ((SpeculativeSampler) rest).sampleRest(ar, root.rest(), prefix, prefix.length(), metrics));
        return (Deferred<P>) out;
    }

    @Override
    public String toString() {
        return name() + settings();
    }
}
