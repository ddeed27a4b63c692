package io.autospec.ar;

import io.autospec.core.ChainStrategy;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import io.autospec.core.OracleException;
import io.autospec.core.RunMetrics;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import io.autospec.spi.Purpose;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token-level speculative sampling for any-order AR (ASSD, Guo and Ermon 2025): along the random
 * order, a window of the next w positions is drafted independently from their marginals at the
 * current prefix (round 1); the chain of conditionals of the draft is evaluated in parallel
 * (round 2); draft tokens are accepted left to right with probability min(1, p/q); the first
 * rejected one is replaced by a draw from normalise(max(0, p - q)), and if all w pass one bonus token
 * comes from the next conditional. Exact; at most 2 rounds per window.
 *
 * <p><b>Adaptive windows</b> ({@link #adaptive(int)}, DESIGN section 9): the first window has m
 * positions (default {@value #ADAPTIVE_MIN}); after a window whose every draft token is accepted the
 * next one is twice as long, after a rejection it is max(m, ceil(1.5 j)) where j is the run of
 * accepted tokens before the rejection. The floor m is there for rounds: the run a window's coins
 * accept does not depend on how far the window reaches beyond it, so a longer window never yields
 * fewer steps a window and shrinking below m only saves queries (measured on a sticky chain read
 * left to right, shrinking to 1.5 j without a floor took 283 rounds at n = 4096 against 222 for
 * w = 64; with the floor 217). Exact because the size of a window is a function of the earlier
 * windows of this sample only: a window starting at prefix length a draws every number from the
 * stream of step a ({@code root.step(a)}), which no earlier window read, so given the past (the prefix
 * and the chosen size) the window's drafts and coins are fresh, and the speculative-sampling identity
 * holds for that size exactly as for a fixed one. Sizes never depend on the current window's own
 * coins or on other samples.
 */
public final class TokenSampler implements ChainStrategy {
    /** First and smallest window of the adaptive rule (default). */
    public static final int ADAPTIVE_MIN = 64;

    /** Deliberately wrong variants, for the power checks of the tests only. */
    enum Planted {
        NONE,
        /** Redraws a rejected token from p instead of the residual. */
        NO_RESIDUAL,
        /**
         * Adaptive windows whose size is chosen from the current window's own acceptance coins: the
         * window is cut to the run its coins accept, so it is never rejected and the position after
         * it is drawn as a bonus token from its conditional.
         */
        PEEK_COINS
    }

    private final int window;       // fixed window, or 0 for adaptive
    private final int minWindow;    // adaptive: first and smallest window
    private final Planted planted;

    private TokenSampler(int window, int minWindow, Planted planted) {
        if (window < 0) throw new IllegalArgumentException("window must be >= 1, got " + window);
        if (minWindow < 1) throw new IllegalArgumentException("adaptive window minimum must be >= 1, got " + minWindow);
        this.window = window;
        this.minWindow = minWindow;
        this.planted = planted;
    }

    /**
     * Token-level speculative sampling with draft windows of {@code w} positions.
     *
     * @param w the window, at least 1
     * @return the strategy
     */
    public static TokenSampler window(int w) {
        if (w < 1) throw new IllegalArgumentException("window must be >= 1, got " + w);
        return new TokenSampler(w, 1, Planted.NONE);
    }

    /**
     * Token-level speculative sampling with adaptive windows of at least {@value #ADAPTIVE_MIN}
     * positions: see {@link #adaptive(int)}.
     *
     * @return the strategy
     */
    public static TokenSampler adaptive() {
        return adaptive(ADAPTIVE_MIN);
    }

    /**
     * Token-level speculative sampling with adaptive windows: {@code min} positions first, doubled
     * after a window is accepted whole, max(min, ceil(1.5 j)) after a rejection that followed j
     * accepted tokens (decided from this sample's past windows only).
     *
     * @param min the first and smallest window, at least 1
     * @return the strategy
     */
    public static TokenSampler adaptive(int min) {
        return new TokenSampler(0, min, Planted.NONE);
    }

    /** {@return the first and smallest window of adaptive windows (1 for fixed windows)} */
    public int minWindow() {
        return minWindow;
    }

    /** Whether the window adapts (see {@link #adaptive()}). */
    public boolean isAdaptive() {
        return window == 0;
    }

    /**
     * A deliberately wrong variant that redraws a rejected token from p instead of the residual
     * max(0, p - q); for the power checks of the statistical tests only (package-private: not API).
     */
    TokenSampler plantedNoResidual() {
        return new TokenSampler(window, minWindow, Planted.NO_RESIDUAL);
    }

    /**
     * A deliberately wrong adaptive variant whose window size is chosen from the current window's
     * own acceptance coins (see {@link Planted#PEEK_COINS}); for the power checks only.
     */
    TokenSampler plantedPeekCoins() {
        if (window != 0) throw new IllegalStateException("PEEK_COINS is a variant of adaptive windows");
        return new TokenSampler(0, minWindow, Planted.PEEK_COINS);
    }

    /** {@return the draft window w; 0 for adaptive windows} */
    public int window() {
        return window;
    }

    @Override
    public String name() {
        return "token";
    }

    @Override
    public boolean exact() {
        return planted == Planted.NONE;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window == 0 ? "adaptive" : window);
        if (window == 0) m.put("min", minWindow); // token:window=adaptive,min=M
        if (planted != Planted.NONE) m.put("variant", planted.name());
        return m;
    }

    /** {@return its token windows} (none for a planted variant: only the real strategy may be run elsewhere) */
    @Override
    public java.util.Optional<io.autospec.core.DeviceRounds> deviceRounds() {
        return planted == Planted.NONE ? java.util.Optional.of(new io.autospec.core.TokenWindows(window, minWindow)) : java.util.Optional.empty();
    }

    @Override
    @SuppressWarnings("unchecked")
    public <P, Y> Deferred<P> sample(StepProcess<P, Y> process, Node root, RunMetrics metrics) {
        if (!(process instanceof ArProcess ar)) {
            throw new IllegalArgumentException("the token strategy applies to autoregressive models only");
        }
        Deferred<Branch> result = new Deferred<>();
        new Run(ar, root, result).window(ar.start(root));
        return (Deferred<P>) result;
    }

    /**
     * The rest of a sample whose first prefix.length() steps are drawn, with randomness from
     * {@code node}'s stream (for {@link AutoSampler}; exact given the prefix when that stream is
     * independent of it).
     */
    Deferred<Branch> sampleRest(ArProcess ar, Node node, Branch prefix) {
        Deferred<Branch> result = new Deferred<>();
        new Run(ar, node, result).window(prefix);
        return result;
    }

    @Override
    public String toString() {
        return name() + settings();
    }

    /**
     * {@return the error for a rejected token whose residual max(0, p - q) has no mass} (the oracle's
     * conditional and marginal disagree); shared with backends that run token windows on their device
     */
    public static OracleException residualWithoutMass(int position, int sample, int pinned) {
        return new OracleException("token rejected at position " + position + " (sample " + sample + ", " + pinned
                + " pinned) but the residual max(0, p - q) has no mass: the oracle's conditional and marginal disagree beyond rounding");
    }

    private final class Run {
        private final ArProcess ar;
        private final Node root;
        private final Deferred<Branch> result;
        private final int n, q;
        private int next = window == 0 ? minWindow : window; // size of the next window, from past windows only

        Run(ArProcess ar, Node root, Deferred<Branch> result) {
            this.ar = ar;
            this.root = root;
            this.result = result;
            this.n = ar.length();
            this.q = ar.alphabet();
        }

        void window(Branch prefix) {
            int a = prefix.length();
            ar.reached(root, a); // accepted tokens are final
            if (a == n) {
                result.complete(prefix);
                return;
            }
            int w = Math.min(next, n - a);
            Node node = root.step(a);
            ar.marginals(node.scope(), prefix, a, w).whenDone(draftRows -> {
                int[] draft = new int[w + 1];
                for (int j = 0; j < w; j++) {
                    draft[j] = ar.draw(draftRows, j, node.uniform(Purpose.DRAFT, a + j), prefix, a + j, a);
                }
                boolean bonus = a + w < n;
                int checks = (w - 1) + (bonus ? 1 : 0);
                if (checks == 0) { // one last position: its marginal is exact
                    window(ar.extend(prefix, draft, 1));
                    return;
                }
                Branch drafted = ar.extend(prefix, draft, w);
                ar.chain(node.scope(), drafted, a + 1, checks).whenDone(targetRows -> {
                    Branch after = verify(node, prefix, a, w, bonus, draft, draftRows, targetRows);
                    if (window == 0) adapt(after.length() - a, w);
                    window(after);
                });
            });
        }

        /**
         * The adaptive rule, applied after a window of w positions grew the prefix by {@code grown}:
         * the next window's size depends on this sample's finished windows only.
         */
        private void adapt(int grown, int w) {
            if (grown >= w) { // every draft token accepted (plus the bonus token unless at the end)
                next = (int) Math.min((long) w * 2, Math.max(n, minWindow));
            } else { // rejected after grown - 1 accepted tokens
                int accepted = grown - 1;
                next = Math.max(minWindow, (3 * accepted + 1) / 2);
            }
        }

        /** Accepts draft tokens left to right; returns the new prefix. */
        private Branch verify(Node node, Branch prefix, int a, int w, boolean bonus,
                              int[] draft, double[] draftRows, double[] targetRows) {
            // Token 0's draft law is its exact conditional: always accepted.
            for (int j = 1; j < w; j++) {
                int x = draft[j];
                int pBase = (j - 1) * q, qBase = j * q;
                double p = targetRows[pBase + x], qq = draftRows[qBase + x];
                if (node.uniform(Purpose.TOKEN_ACCEPT, a + j) < p / qq) continue;
                if (planted == Planted.PEEK_COINS) {
                    // Wrong: the window is cut, after seeing its own coins, to the j tokens they accept,
                    // and position a + j becomes that shorter window's bonus token, drawn from p.
                    draft[j] = ar.draw(targetRows, j - 1, node.uniform(Purpose.TOKEN_RESIDUAL, a + j), prefix, a + j, a + j);
                    return ar.extend(prefix, draft, j + 1);
                }
                draft[j] = residual(node, prefix, a, j, targetRows, pBase, draftRows, qBase);
                return ar.extend(prefix, draft, j + 1);
            }
            if (bonus) {
                draft[w] = ar.draw(targetRows, w - 1, node.uniform(Purpose.TOKEN_RESIDUAL, a + w), prefix, a + w, a + w);
                return ar.extend(prefix, draft, w + 1);
            }
            return ar.extend(prefix, draft, w);
        }

        /** A draw from normalise(max(0, p - q)) for the rejected token j. */
        private int residual(Node node, Branch prefix, int a, int j,
                             double[] target, int pBase, double[] draftRows, int qBase) {
            double u = node.uniform(Purpose.TOKEN_RESIDUAL, a + j);
            if (planted == Planted.NO_RESIDUAL) return ar.draw(target, pBase / q, u, prefix, a + j, a + j);
            double[] r = new double[q];
            double mass = 0;
            for (int v = 0; v < q; v++) {
                r[v] = Math.max(0.0, target[pBase + v] - draftRows[qBase + v]);
                mass += r[v];
            }
            int v = ArProcess.categorical(r, 0, q, u);
            if (v < 0 || !(mass > 0)) throw residualWithoutMass(prefix.order().position(a + j), prefix.order().sample(), a + j);
            return v;
        }
    }
}
