package io.autospec.ar;

import io.autospec.core.Deferred;
import io.autospec.core.Node;
import io.autospec.core.OracleException;
import io.autospec.core.RunMetrics;
import io.autospec.core.StepProcess;
import io.autospec.core.Strategy;
import io.autospec.rng.Purpose;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Token-level speculative sampling for any-order AR (ASSD, Guo and Ermon 2025): along the random
 * order, a window of the next w positions is drafted independently from their marginals at the
 * current prefix (round 1); the chain of conditionals of the draft is evaluated in parallel
 * (round 2); draft tokens are accepted left to right with probability min(1, p/q); the first
 * rejected one is replaced by a draw from normalise(max(0, p - q)), and if all w pass one bonus token
 * comes from the next conditional. Exact; at most 2 rounds per window.
 */
public final class TokenSampler implements Strategy {
    private final int window;
    private final boolean plantedNoResidual;

    private TokenSampler(int window, boolean plantedNoResidual) {
        if (window < 1) throw new IllegalArgumentException("window must be >= 1, got " + window);
        this.window = window;
        this.plantedNoResidual = plantedNoResidual;
    }

    /**
     * Token-level speculative sampling with draft windows of {@code w} positions.
     *
     * @param w the window, at least 1
     * @return the strategy
     */
    public static TokenSampler window(int w) {
        return new TokenSampler(w, false);
    }

    /**
     * A deliberately wrong variant that redraws a rejected token from p instead of the residual
     * max(0, p - q); for the power checks of the statistical tests only (package-private: not API).
     */
    TokenSampler plantedNoResidual() {
        return new TokenSampler(window, true);
    }

    /** {@return the draft window w} */
    public int window() {
        return window;
    }

    @Override
    public String name() {
        return "token";
    }

    @Override
    public boolean exact() {
        return !plantedNoResidual;
    }

    @Override
    public Map<String, Object> settings() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", window);
        if (plantedNoResidual) m.put("variant", "NO_RESIDUAL");
        return m;
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

    private final class Run {
        private final ArProcess ar;
        private final Node root;
        private final Deferred<Branch> result;
        private final int n, q;

        Run(ArProcess ar, Node root, Deferred<Branch> result) {
            this.ar = ar;
            this.root = root;
            this.result = result;
            this.n = ar.length();
            this.q = ar.alphabet();
        }

        void window(Branch prefix) {
            int a = prefix.length();
            if (a == n) {
                result.complete(prefix);
                return;
            }
            int w = Math.min(window, n - a);
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
                ar.chain(node.scope(), drafted, a + 1, checks).whenDone(targetRows ->
                        window(verify(node, prefix, a, w, bonus, draft, draftRows, targetRows)));
            });
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
            if (plantedNoResidual) return ar.draw(target, pBase / q, u, prefix, a + j, a + j);
            double[] r = new double[q];
            double mass = 0;
            for (int v = 0; v < q; v++) {
                r[v] = Math.max(0.0, target[pBase + v] - draftRows[qBase + v]);
                mass += r[v];
            }
            int v = ArProcess.categorical(r, 0, q, u);
            if (v < 0 || !(mass > 0)) {
                throw new OracleException("token rejected at position " + prefix.order().position(a + j) + " (sample "
                        + prefix.order().sample() + ", " + (a + j) + " pinned) but the residual max(0, p - q) has no mass:"
                        + " the oracle's conditional and marginal disagree beyond rounding");
            }
            return v;
        }
    }
}
