package io.autospec.ar;

import io.autospec.core.ChainStrategy;
import io.autospec.core.Coupling;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.RunMetrics;
import io.autospec.core.SpeculativeSampler;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The {@code auto} strategy: fixed-point iteration whose guesses turn into drafts when it stalls.
 *
 * <p><b>The fixed point does not depend on the guesses.</b> Fix the order sigma and the sequential
 * sampler's uniforms u_t. The Jacobi fixed point, the unique x with x_t = F^{-1}(u_t | x_{&lt;t}) for
 * every t, is the sequential sample: a deterministic function of (sigma, u). A step is certified
 * when its whole prefix is certified and its value was computed, with its own u_t, from exactly that
 * certified prefix; by induction from the first step every certified value is the sequential one,
 * <em>whatever</em> the guesses at the uncertified steps were. So any rule for choosing the next
 * iterate's uncertified values, even one that looks at the current uniforms, the rows the oracle
 * returned or this sample's history, leaves the output bit for bit the sequential sample (tests:
 * bit identity with {@code sequential}); only the number of rounds changes. Jacobi's rule is "the
 * values just computed"; {@code auto} sweeps other candidates next to Jacobi's.
 *
 * <p><b>Guess streams (AR, the default).</b> Each round sweeps several candidate iterates in one
 * batched round ({@link FixedPointRun}); the certified prefix becomes the longest any of them certified:
 * <ul>
 *   <li><b>Jacobi's own iterate</b>, always, never replaced by anything the other candidates do. So
 *       after every round {@code auto} has certified at least as far as {@code jacobi} (same window,
 *       same random numbers), and it never needs more rounds, on any seed.</li>
 *   <li><b>Drafts</b>: from the second round on, each round also asks for the marginals of the next w
 *       steps given the certified prefix (w = {@value #DRAFT_WINDOW}, or twice the recent advance); a
 *       draft is their draw with the same u_t. While the {@link DraftPolicy} drafts, the drafted
 *       candidate is the certified prefix followed by the drafts (then the latest iterate values),
 *       swept over at least w steps, and the drafts come from {@value #DRAFT_LEVELS} contexts: the
 *       certified prefix and the prefix extended by the current guesses to fractions i/{@value #DRAFT_LEVELS}
 *       of the recent advance; after the round the deepest context the round certified supplies the
 *       next drafts, which start at the new certified prefix. On a sticky chain read in order the draft
 *       from the true prefix is right for about sqrt(1/(1 - stay)) steps where Jacobi certifies one.</li>
 *   <li><b>Jacobi rebased</b>: once a draft has certified further than Jacobi's own iterate, a copy of
 *       the iterate restarted at the certified prefix (its values beyond it) goes on next to it, and is
 *       restarted there after every round, until Jacobi's own iterate catches up. Where Jacobi's values
 *       are still converging (mean-field models) this goes further than either alone. Not while drafting
 *       after stalls, where Jacobi's values are a shifted copy of the truth.</li>
 * </ul>
 * <b>When to draft</b> ({@link DraftPolicy}): after {@value #REDRAFT_STALL_SWEEPS} <em>stalls</em> in a
 * row (a round s &gt;= 2 that certifies one step while more remain: a chain read left to right, where
 * Jacobi needs about n rounds), until Jacobi's own iterate has certified further than the drafts
 * {@value #REDRAFT_STALL_SWEEPS} rounds in a row; and, unless {@code hedge(false)}, for good after
 * {@value #REDRAFT_STALL_SWEEPS} <em>draft wins</em> in a row (the draft from the certified prefix agreed
 * with Jacobi's new values at least as far as the round certified, and the round advanced less than w:
 * spanning trees and tilings in their fixed order, a few steps a round, never one). The extra candidates
 * cost queries (at most one more sweep, the drafted steps and the draft requests a round), never rounds.
 * None of these choices can affect the output: they only pick guesses.
 *
 * <p><b>Hand-over (the previous rule, {@code redraft(false)}).</b> Instead of drafting, the rest [c, n)
 * is handed to adaptive token windows ({@link TokenSampler#adaptive()}; or fixed windows, or the
 * paper's recursion, {@link SpeculativeSampler}) after {@value #STALL_SWEEPS} stalled sweeps in a row
 * or a cap of 2 ceil(log2 n) + 4 sweeps, with randomness from the sample's own {@code rest} stream,
 * which Jacobi never reads. An explicit {@link #budget(int)} hands over after that many sweeps in
 * both modes. Exact because the hand-over sweep S is decided from the certified lengths (C_0, ...,
 * C_s) only, never from the uncertified iterate: a Jacobi iterate's value at step t depends on
 * u_0..u_t only, so each C_s is a stopping time of (u_t), {S = s, C_s = c} is in F_c, and the final
 * length C = C_S is a stopping time. The prefix is the sequential draw x_{&lt;C}; given F_C the later
 * u_t are still i.i.d. uniform, so the sequential sampler would continue with a draw from
 * mu(. | x_{&lt;C}), and the rest strategy draws from that same law with independent randomness.
 * (The planted PEEK variant, which also conditions on the first uncertified iterate value, is not a
 * stopping time and is rejected by the tests.)
 *
 * <p>Diffusion: exact Picard iteration (tolerance 0) with a sliding window.
 */
public final class AutoSampler implements ChainStrategy, ResumableRounds {
    /** A sweep that certifies less than 1/STALL_FRACTION of the uncertified steps (and only one) stalls. */
    public static final int STALL_FRACTION = 64;
    /** Hand-over mode: stalled sweeps in a row (after the first sweep) that hand the rest over. */
    public static final int STALL_SWEEPS = 3;
    /**
     * Re-drafting mode: stalled sweeps in a row that switch the guesses to drafts (and drafting
     * sweeps in a row that Jacobi's own guesses would have beaten, that switch back).
     */
    public static final int REDRAFT_STALL_SWEEPS = 2;
    /** Re-drafting mode: a sweep stalls when it certifies one step and more remain (no margin near the end). */
    public static final int REDRAFT_STALL_FRACTION = 1;
    /** Contexts drafted from per round while drafting. */
    public static final int DRAFT_LEVELS = 4;
    /** Smallest draft window. */
    public static final int DRAFT_WINDOW = 64;

    /**
     * The settings of an {@code auto} run, in one value (the withers below return a sampler with one
     * of them changed).
     *
     * @param budget        Jacobi sweeps before handing over; 0: the default (none when re-drafting)
     * @param stall         react to stalls (re-draft or hand over)
     * @param redraft       on a stall, re-draft (true) or hand the rest over
     * @param hedge         re-drafting: after draft wins, verify drafts next to Jacobi's own guesses
     * @param stallFraction the stall rule's fraction; 0: the mode's default
     * @param stallSweeps   stalled sweeps in a row that react; 0: the mode's default
     * @param draftLevels   draft contexts per round while drafting
     * @param draftWindow   the smallest draft window
     * @param window        Jacobi window (AR) / Picard window (diffusion)
     * @param rest          the strategy that draws the rest when handing over (TokenSampler or SpeculativeSampler)
     */
    record Settings(int budget, boolean stall, boolean redraft, boolean hedge, int stallFraction, int stallSweeps, int draftLevels,
                    int draftWindow, int window, Strategy rest) {
        Settings {
            if (budget < 0) throw new IllegalArgumentException("auto budget must be >= 0 rounds, got " + budget);
            if (draftLevels < 1) throw new IllegalArgumentException("auto draft levels must be >= 1, got " + draftLevels);
            if (draftWindow < 1) throw new IllegalArgumentException("auto draft window must be >= 1, got " + draftWindow);
        }

        Settings withBudget(int rounds) {
            return new Settings(rounds, stall, redraft, hedge, stallFraction, stallSweeps, draftLevels, draftWindow, window, rest);
        }

        Settings withStall(boolean on) {
            return new Settings(budget, on, redraft, hedge, stallFraction, stallSweeps, draftLevels, draftWindow, window, rest);
        }

        Settings withHedge(boolean on) {
            return new Settings(budget, stall, redraft, on, stallFraction, stallSweeps, draftLevels, draftWindow, window, rest);
        }

        Settings withRedraft(boolean on) {
            return new Settings(budget, stall, on, hedge, stallFraction, stallSweeps, draftLevels, draftWindow, window, rest);
        }

        Settings withDrafts(int levels, int minWindow) {
            return new Settings(budget, stall, redraft, hedge, stallFraction, stallSweeps, levels, minWindow, window, rest);
        }

        Settings withStallRule(int fraction, int sweeps) {
            return new Settings(budget, stall, redraft, hedge, fraction, sweeps, draftLevels, draftWindow, window, rest);
        }

        Settings withWindow(int w) {
            return new Settings(budget, stall, redraft, hedge, stallFraction, stallSweeps, draftLevels, draftWindow, w, rest);
        }

        Settings withRest(Strategy s) {
            return new Settings(budget, stall, redraft, hedge, stallFraction, stallSweeps, draftLevels, draftWindow, window, s);
        }
    }

    private final Settings settings;
    private final JacobiSampler jacobi;

    private AutoSampler(Settings settings, JacobiSampler jacobi) {
        this.settings = settings;
        this.jacobi = jacobi;
    }

    /**
     * Re-drafting on a stall, no cap, unbounded Jacobi window, Picard window 256; adaptive token
     * windows for the rest if a budget or {@code redraft(false)} hands over.
     */
    public static AutoSampler create() {
        return new AutoSampler(new Settings(0, true, true, true, 0, 0, DRAFT_LEVELS, DRAFT_WINDOW, JacobiSampler.ALL,
                TokenSampler.adaptive()), JacobiSampler.create());
    }

    private AutoSampler with(Settings s) {
        return new AutoSampler(s, jacobi);
    }

    /** At most {@code rounds} Jacobi sweeps before the rest goes to the rest strategy (0: the default). */
    public AutoSampler budget(int rounds) {
        return with(settings.withBudget(rounds));
    }

    /** Whether to react to a stall (default true; false: plain Jacobi up to the cap). */
    public AutoSampler stall(boolean on) {
        return with(settings.withStall(on));
    }

    /**
     * On a stall, re-draft (true, the default) or hand the rest over to the rest strategy (false:
     * the previous {@code auto}, with its cap of 2 ceil(log2 n) + 4 sweeps).
     */
    public AutoSampler redraft(boolean on) {
        return with(settings.withRedraft(on));
    }

    /**
     * Whether draft wins start drafting for good (default true; false: drafts only after stalls, which
     * saves the drafts' queries where they gain no round).
     */
    public AutoSampler hedge(boolean on) {
        return with(settings.withHedge(on));
    }

    /** Draft contexts per round and the smallest draft window while re-drafting. */
    public AutoSampler drafts(int levels, int minWindow) {
        return with(settings.withDrafts(levels, minWindow));
    }

    /**
     * For the tests: a sweep stalls when it certifies one step with more than {@code fraction} steps
     * uncertified (default {@value #STALL_FRACTION}), and {@code sweeps} stalled sweeps in a row react
     * (defaults {@value #REDRAFT_STALL_SWEEPS} re-drafting, {@value #STALL_SWEEPS} handing over), so
     * small models exercise it.
     */
    AutoSampler stallRule(int fraction, int sweeps) {
        return with(settings.withStallRule(fraction, sweeps));
    }

    /** Jacobi window (AR, memory; it also bounds the draft windows) and Picard window (diffusion). */
    public AutoSampler window(int w) {
        return new AutoSampler(settings.withWindow(w), JacobiSampler.window(w).coupling(jacobi.coupling()));
    }

    /**
     * How the Jacobi part and its drafts couple each step's fixed random numbers to its value
     * (default {@link Coupling#AUTO}: inverse CDF at q = 2, Gumbel-max at q >= 3); the output is the {@code sequential} sample under {@code c}, bit for bit,
     * unless the rest is handed over (then the rest is drawn by the rest strategy, exact either way).
     */
    public AutoSampler coupling(Coupling c) {
        return new AutoSampler(settings, jacobi.coupling(c));
    }

    /** {@return how a step's random numbers become its value} */
    public Coupling coupling() {
        return jacobi.coupling();
    }

    /** Planted wrong variant for the tests: the Jacobi part redraws the steps' random numbers at each sweep. */
    AutoSampler plantedRedrawNoise() {
        return new AutoSampler(settings, jacobi.plantedRedrawNoise());
    }

    /** The paper's recursion draws the rest (when handing over). */
    public AutoSampler rest(SpeculativeSampler s) {
        return with(settings.withRest(s));
    }

    /** Token windows draw the rest (when handing over; the default: adaptive windows). */
    public AutoSampler rest(TokenSampler s) {
        return with(settings.withRest(s));
    }

    /** Planted wrong variant for the tests: the Jacobi part over-certifies. */
    AutoSampler plantedOverCertify() {
        return new AutoSampler(settings, jacobi.plantedOverCertify());
    }

    /** Planted wrong variant for the tests: the hand-over decision peeks at the uncertified iterate. */
    AutoSampler plantedPeek() {
        return new AutoSampler(settings, jacobi.plantedPeek());
    }

    /**
     * Planted wrong variant for the tests: while drafting, the step after the certified prefix is also
     * certified from its draft, which was drawn given a shorter prefix, without being verified.
     */
    AutoSampler plantedDraftCertify() {
        return new AutoSampler(settings, jacobi.plantedDraftCertify());
    }

    /** Planted slow rule for the tests: drafts that win a round replace Jacobi's iterate (the samples stay exact). */
    AutoSampler plantedReplaceIterate() {
        return new AutoSampler(settings, jacobi.plantedReplaceIterate());
    }

    private int stallFraction() {
        return settings.stallFraction() > 0 ? settings.stallFraction() : settings.redraft() ? REDRAFT_STALL_FRACTION : STALL_FRACTION;
    }

    private int stallSweeps() {
        return settings.stallSweeps() > 0 ? settings.stallSweeps() : settings.redraft() ? REDRAFT_STALL_SWEEPS : STALL_SWEEPS;
    }

    /**
     * The hand-over rule before sweep {@code sweeps + 1}, from the certified lengths
     * {@code certified[0..sweeps]} only: the cap is spent, or (handing over on stalls) the last
     * {@value #STALL_SWEEPS} sweeps (all after the first) stalled.
     */
    boolean handOver(int sweeps, int[] certified, int n) {
        if (sweeps >= budgetFor(n)) return true;
        if (settings.redraft()) return false;
        int k = stallSweeps();
        boolean stop = settings.stall() && sweeps >= k + 1;
        for (int i = 0; stop && i < k; i++) stop = stalled(sweeps - i, certified, n);
        return stop;
    }

    private boolean stalled(int s, int[] certified, int n) {
        int advance = certified[s] - certified[s - 1], uncertified = n - certified[s - 1];
        return advance <= 1 && (long) advance * stallFraction() < uncertified;
    }

    /** The Jacobi budget for n steps: as set; else none when re-drafting, 2 ceil(log2 n) + 4 when handing over. */
    public int budgetFor(int n) {
        if (settings.budget() > 0) return settings.budget();
        if (settings.redraft()) return Integer.MAX_VALUE;
        return 2 * (32 - Integer.numberOfLeadingZeros(Math.max(1, n - 1))) + 4;
    }

    @Override
    public String name() {
        return "auto";
    }

    /** {@return the Jacobi / Picard window ({@link JacobiSampler#ALL}: all steps)} */
    public int window() {
        return settings.window();
    }

    @Override
    public boolean exact() {
        return jacobi.exact() && settings.rest().exact();
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        // In the spec grammar (auto:key=value,...): every key but the test hooks (stall-rule, variant) parses back.
        if (settings.budget() != 0) m.put("budget", settings.budget());
        m.put("stall", settings.stall());
        m.put("redraft", settings.redraft());
        if (!settings.hedge()) m.put("hedge", false);
        if (settings.stall() && (settings.stallFraction() != 0 || settings.stallSweeps() != 0)) {
            m.put("stall-rule", "1/" + stallFraction() + " x" + stallSweeps());
        }
        if (settings.redraft() && (settings.draftLevels() != DRAFT_LEVELS || settings.draftWindow() != DRAFT_WINDOW)) {
            m.put("levels", settings.draftLevels());
            m.put("draft-window", settings.draftWindow());
        }
        m.put("window", settings.window() == JacobiSampler.ALL ? "all" : settings.window());
        m.put("rest", settings.rest() instanceof TokenSampler t ? (t.isAdaptive() ? "adaptive" : (Object) t.window()) : settings.rest().name());
        if (jacobi.coupling() != Coupling.AUTO) m.put("coupling", jacobi.coupling().name());
        if (!jacobi.exact()) m.put("variant", jacobi.settings().get("variant"));
        return m;
    }

    /** On a process with an exact fixed-point iteration of its own (diffusion: Picard), that one. */
    @Override
    public Strategy drawsOn(StepProcess<?, ?> process) {
        Strategy own = process.autoStrategy(settings.window());
        return own == null ? this : own;
    }

    /**
     * {@return the Jacobi part of its rounds as device rounds} when re-drafting on stalls with no sweep
     * budget (the default; then the hand-over never fires), for the real strategy only
     */
    @Override
    public java.util.Optional<io.autospec.core.DeviceRounds> deviceRounds() {
        if (!jacobi.exact() || !settings.redraft() || !settings.stall() || settings.budget() != 0) return java.util.Optional.empty();
        return java.util.Optional.of(new io.autospec.core.AutoRounds(settings.window(), jacobi.coupling(), settings.draftWindow(),
                stallFraction(), stallSweeps(), settings.hedge()));
    }

    @Override
    @SuppressWarnings("unchecked")
    public <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics) {
        Strategy own = process.autoStrategy(settings.window());
        if (own != null) return ChainStrategy.of(own).sample(process, root, metrics);
        ArProcess ar = JacobiSampler.requireAr(process, name());
        return (Deferred<P>) jacobi.sweeps(ar, root, this::handOver, rest(ar, root, metrics), draftSettings());
    }

    /**
     * Goes on with a sample from the state a backend's device rounds left ({@link #deviceRounds}): the
     * rounds the engine runs from there are those it would have run all along.
     *
     * @param ar    the run's process
     * @param root  the sample's root node
     * @param state where its device rounds stopped
     * @param metrics the run's metrics
     * @return the sample
     */
    @Override
    public Deferred<Branch> resume(ArProcess ar, Node root, ResidentResult.FixedPointState state, RunMetrics metrics) {
        return jacobi.resumeSweeps(ar, root, this::handOver, rest(ar, root, metrics), draftSettings(), state);
    }

    private DraftPolicy.Settings draftSettings() {
        return settings.redraft() && settings.stall()
                ? new DraftPolicy.Settings(settings.draftWindow(), settings.draftLevels(), stallFraction(), stallSweeps(), settings.hedge())
                : null;
    }

    private java.util.function.BiFunction<Branch, Integer, Deferred<Branch>> rest(ArProcess ar, Node root, RunMetrics metrics) {
        return (prefix, sweeps) -> settings.rest() instanceof TokenSampler t
                ? t.sampleRest(ar, root.rest(), prefix)
                : ((SpeculativeSampler) settings.rest()).sampleRest(ar, root.rest(), prefix, prefix.length(), metrics);
    }

    @Override
    public String toString() {
        return name() + settings();
    }
}
