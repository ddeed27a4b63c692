package io.autospec.ar;

import io.autospec.core.Coupling;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;
import java.util.Arrays;
import java.util.function.BiFunction;

/**
 * The rounds of one sample's fixed-point iteration (DESIGN §9b): every round sweeps the candidate
 * iterates, all in one batched round, and the certified prefix becomes the longest any of them
 * certified ({@link Candidate}). The candidates:
 * <ol>
 *   <li><b>Jacobi's own iterate</b> ({@link JacobiIterate}), always, and never replaced: the
 *       certified prefix is never shorter than the {@code jacobi} strategy's after the same rounds.</li>
 *   <li><b>Jacobi rebased</b> (while Jacobi's iterate lags behind the certified prefix, unless the
 *       policy drafts after stalls): a second Jacobi iterate restarted at the certified prefix after
 *       every round, its own values beyond it; where Jacobi's values beyond a prefix that drafts
 *       certified are still converging (mean-field models), it goes further than either.</li>
 *   <li><b>Drafts</b> (with a {@link DraftPolicy}, while it drafts, or while Jacobi's iterate lags behind
 *       the certified prefix): the certified prefix followed by drafted guesses, values drawn with the
 *       same r_t from the marginals given a certified prefix only (ASSD-style), then the values of the
 *       rebased (else Jacobi's own) iterate.</li>
 * </ol>
 * The same round also asks for the next drafts: the marginals of the next steps given the certified
 * prefix (and, while drafting, given it extended by the current guesses to fractions of the expected
 * advance); after the round the deepest context that lies inside the new certified prefix supplies the
 * drafts, which start at that prefix.
 */
final class FixedPointRun {
    private final ArProcess ar;
    private final Node root;
    private final Coupling coupling;
    private final int window;
    private final JacobiSampler.Planted planted;
    private final JacobiSampler.HandoverRule rule;
    private final BiFunction<Branch, Integer, Deferred<Branch>> handover;
    private final Deferred<Branch> result;
    private final DraftPolicy policy; // null: plain Jacobi
    private final int n;
    private final StepNoise noise;
    private final JacobiIterate jacobi;
    private JacobiIterate rebased;     // null unless Jacobi's iterate lags and the policy rebases

    private Branch certified;          // the final prefix
    private int[] drafted = new int[0]; // drafted guesses at [certified.length(), + drafted.length)
    private int rounds;
    private int[] history = new int[8]; // certified length after each round (index 0: before the first)

    FixedPointRun(JacobiSampler sampler, ArProcess ar, Node root, JacobiSampler.HandoverRule rule,
                  BiFunction<Branch, Integer, Deferred<Branch>> handover, DraftPolicy policy, Deferred<Branch> result) {
        this.ar = ar;
        this.root = root;
        this.coupling = sampler.coupling();
        this.window = sampler.window();
        this.planted = sampler.planted();
        this.rule = rule;
        this.handover = handover;
        this.policy = policy;
        this.result = result;
        this.n = ar.length();
        this.noise = new StepNoise(root, coupling, ar.alphabet(), planted == JacobiSampler.Planted.REDRAW_NOISE);
        this.certified = ar.start(root);
        this.jacobi = new JacobiIterate(window, certified.length());
        this.history[0] = certified.length();
    }

    /**
     * Goes on from the state a backend's device rounds left ({@link ResidentResult.FixedPointState}):
     * the certified prefix, Jacobi's iterate beyond it, the rounds so far, the policy and the next
     * drafts. The next {@link #round} is the one the engine would have run after those rounds.
     */
    void resume(ResidentResult.FixedPointState st) {
        int c = st.certified();
        certified = ar.extend(certified, st.iterate(), c);
        jacobi.restore(c, java.util.Arrays.copyOfRange(st.iterate(), c, st.iterate().length));
        rounds = st.rounds();
        if (rounds >= history.length) history = Arrays.copyOf(history, rounds + 8);
        history[rounds] = c;
        if (policy != null) policy.restore(st.stalls(), st.draftWins(), st.drafting(), st.forGood());
        drafted = st.drafted().clone();
        round();
    }

    /** The draft requests of a round: contexts (true prefix plus guesses up to starts[l]) and steps drafted from each. */
    private record DraftRequests(int[] guesses, int[] starts, int[] counts, double[][] rows) {
        static final DraftRequests NONE = new DraftRequests(new int[0], new int[0], new int[0], new double[0][]);
    }

    /** One round: every candidate's sweep and the draft requests, one barrier. */
    void round() {
        int c = certified.length();
        ar.reached(root, c);
        if (c == n) {
            result.complete(certified);
            return;
        }
        if (rule.handOver(rounds, history, n)
                && (planted != JacobiSampler.Planted.PEEK || jacobi.has(c) && jacobi.value(c) == 1)) {
            handover.apply(certified, rounds).whenDone(result::complete);
            return;
        }
        Candidate own = jacobi.sweep(ar, certified);
        Candidate again = rebased == null ? null : rebased.sweep(ar, certified);
        boolean behind = own == null || own.from() < c;
        Candidate lead = again != null ? again : own;
        Candidate drafts = policy != null && (policy.drafting() || behind)
                ? draftCandidate(c, rebased != null ? rebased : jacobi, lead) : null;
        DraftRequests requests = policy != null && rounds >= 1 ? draftRequests(c, drafts != null ? drafts : lead) : DraftRequests.NONE;

        Candidate[] swept = {own, again, drafts};
        double[][] rows = new double[swept.length][];
        int[] pending = {1 + requests.starts().length};
        for (Candidate cand : swept) if (cand != null) pending[0]++;
        Runnable ready = () -> {
            if (--pending[0] == 0) finish(c, swept, rows, requests);
        };
        for (int i = 0; i < swept.length; i++) {
            int k = i;
            Candidate cand = swept[i];
            if (cand == null) continue;
            ar.iterate(root.scope(), cand.context(), cand.from(), cand.end() - cand.from()).whenDone(r -> {
                rows[k] = r;
                ready.run();
            });
        }
        for (int l = 0; l < requests.starts().length; l++) {
            int level = l, a = requests.starts()[l];
            Branch context = a > c ? ar.extend(certified, requests.guesses(), a - c) : certified;
            ar.marginals(root.scope(), context, a, requests.counts()[l]).whenDone(r -> {
                requests.rows()[level] = r;
                ready.run();
            });
        }
        ready.run(); // the round's requests are all submitted
    }

    /**
     * The drafted candidate: the certified prefix, the drafts, then the values of {@code tail}; swept
     * over the drafts and at least the smallest draft window. Null when it would repeat a part of
     * {@code lead}'s sweep (the same guesses from the certified prefix: it would certify no further).
     */
    private Candidate draftCandidate(int c, JacobiIterate tail, Candidate lead) {
        int end = (int) Math.min(Math.min(n, (long) c + window), Math.max(c + drafted.length, (long) c + policy.minWindow()));
        int valued = c + drafted.length;
        while (valued < end && tail.has(valued)) valued++;
        int[] guesses = Arrays.copyOf(drafted, valued - c);
        for (int t = c + drafted.length; t < valued; t++) guesses[t - c] = tail.value(t);
        if (lead != null && lead.from() == c && end <= lead.end() && guesses.length <= lead.guesses().length
                && Arrays.equals(guesses, 0, guesses.length, lead.guesses(), 0, guesses.length)) {
            return null;
        }
        return Candidate.of(ar, certified, guesses, end);
    }

    /** Draft contexts: the certified prefix, and while drafting that prefix extended by {@code guide}'s guesses. */
    private DraftRequests draftRequests(int c, Candidate guide) {
        int[] guesses = guide != null && guide.from() == c ? guide.guesses() : new int[0];
        int levels = policy.levels(), w = policy.draftWindow(n, window);
        int[] starts = new int[levels], counts = new int[levels];
        int k = 0;
        for (int i = 0; i < levels; i++) {
            int a = c + (int) (i * policy.reach() / levels);
            if (a > c + guesses.length || a >= n || k > 0 && a == starts[k - 1]) continue;
            starts[k] = a;
            counts[k] = Math.min(w, n - a);
            k++;
        }
        return new DraftRequests(guesses, Arrays.copyOf(starts, k), Arrays.copyOf(counts, k), new double[k][]);
    }

    /** The round's rows are in: certify, advance Jacobi's iterate, update the policy, draw the next drafts. */
    private void finish(int c, Candidate[] swept, double[][] rows, DraftRequests requests) {
        boolean overCertify = planted == JacobiSampler.Planted.OVER_CERTIFY;
        Candidate.Outcome[] outcomes = new Candidate.Outcome[swept.length];
        Candidate.Outcome best = null;
        int done = c;
        for (int i = 0; i < swept.length; i++) {
            if (swept[i] == null) continue;
            outcomes[i] = swept[i].certify(ar, coupling, noise, rounds, rows[i], overCertify);
            if (outcomes[i].done() > done) { // ties: Jacobi's own iterate, then the rebased one
                best = outcomes[i];
                done = best.done();
            }
        }
        if (best == null) throw new IllegalStateException("a round certified nothing at step " + c + " of " + n);
        certified = ar.extend(certified, Arrays.copyOfRange(best.next(), c - best.from(), done - best.from()), done - c);
        Candidate.Outcome mine = outcomes[0], theirs = outcomes[2];
        jacobi.advance(n, mine);
        if (rebased != null) rebased.advance(n, outcomes[1]);
        int round = rounds++;

        if (policy != null) {
            boolean aligned = mine != null && mine.from() == c;
            int agree = -1, count = 0;
            if (requests.starts().length > 0 && aligned) {
                // Read no step from `done` on: the policy, hence every later guess, stays a function of
                // the steps before the certified length, which so remains a stopping time of the u_t.
                count = requests.counts()[0];
                agree = 0;
                int upTo = Math.min(Math.min(count, done - c), mine.next().length);
                while (agree < upTo && draft(requests, 0, c + agree, round) == mine.value(c + agree)) agree++;
            }
            policy.after(new DraftPolicy.Round(rounds, c, done, aligned ? mine.done() : -1, theirs == null ? -1 : theirs.done(),
                    agree, count), n);
            nextDrafts(c, done, requests, round);
            if (planted == JacobiSampler.Planted.REPLACE_ITERATE && policy.drafting()) jacobi.replace(done, drafted);
            // Jacobi's iterate lags: a copy restarted at the certified prefix goes on next to it.
            if (!policy.rebases() || !jacobi.lagsBehind(certified)) rebased = null;
            else if (rebased == null) rebased = jacobi.rebasedAt(certified);
            else rebased.rebase(done);
        }
        if (planted == JacobiSampler.Planted.DRAFT_CERTIFY && drafted.length > 0) {
            // Wrong: the draft of the first uncertified step was drawn given a shorter prefix, and is not verified.
            certified = ar.extend(certified, drafted, 1);
            drafted = Arrays.copyOfRange(drafted, 1, drafted.length);
            done++;
        }
        noise.forgetBelow(Math.min(jacobi.certified(), done));
        if (rounds >= history.length) history = Arrays.copyOf(history, 2 * history.length);
        history[rounds] = done;
        round();
    }

    /**
     * While drafting: the drafts of steps [done, dEnd) from the deepest context whose guesses the round
     * certified (so it is a true prefix: the draft is a draw, with the same r_t, from the marginals
     * given it).
     */
    private void nextDrafts(int c, int done, DraftRequests requests, int round) {
        drafted = new int[0];
        if (!policy.drafting()) return;
        int[] guesses = requests.guesses();
        int agree = 0;
        while (c + agree < done && agree < guesses.length && guesses[agree] == certified.valueAtRank(c + agree)) agree++;
        int best = -1;
        for (int l = 0; l < requests.starts().length; l++) if (requests.starts()[l] <= c + agree) best = l;
        if (best < 0) return;
        int dEnd = Math.max(done, requests.starts()[best] + requests.counts()[best]);
        drafted = new int[dEnd - done];
        for (int t = done; t < dEnd; t++) drafted[t - done] = draft(requests, best, t, round);
    }

    /** The draft of step t from the request of level l: C(marginal of step t given that context, r_t). */
    private int draft(DraftRequests requests, int l, int t, int round) {
        int i = t - requests.starts()[l];
        return Math.max(coupling.draw(requests.rows()[l], i * ar.alphabet(), ar.alphabet(), noise.at(t, round)), 0);
    }
}
