package io.autospec.ar;

import io.autospec.core.Coupling;
import io.autospec.internal.core.Deferred;
import io.autospec.internal.core.Node;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;

/**
 * The rounds of one sample's fixed-point iteration (DESIGN §9b): every round sweeps the candidate
 * iterates, all in one batched round, and the certified prefix becomes the longest any of them
 * certified ({@link Candidate}). The candidates:
 * <ol>
 *   <li><b>Jacobi's own iterate</b> ({@link JacobiIterate}), always, and never replaced: the
 *       certified prefix is never shorter than the {@code jacobi} strategy's after the same rounds.</li>
 *   <li><b>Drafts</b> (with a {@link DraftPolicy}, while it drafts, or while Jacobi's iterate lags behind
 *       the certified prefix): the certified prefix followed by drafted guesses, values drawn with the
 *       same r_t from the marginals given a certified prefix only (ASSD-style), then Jacobi's values.</li>
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
        boolean behind = own == null || own.from() < c;
        Candidate drafts = policy != null && (policy.drafting() || behind) ? draftCandidate(c, own, behind) : null;
        DraftRequests requests = policy != null && rounds >= 1 ? draftRequests(c, drafts != null ? drafts : own) : DraftRequests.NONE;

        List<Candidate> swept = new ArrayList<>(2);
        if (own != null) swept.add(own);
        if (drafts != null) swept.add(drafts);
        double[][] rows = new double[swept.size()][];
        int[] pending = {swept.size() + requests.starts().length};
        Runnable ready = () -> {
            if (--pending[0] == 0) finish(c, own, drafts, rows, requests);
        };
        for (int i = 0; i < swept.size(); i++) {
            int k = i;
            Candidate cand = swept.get(i);
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
    }

    /**
     * The drafted candidate: the certified prefix, the drafts, then Jacobi's values; swept over the
     * drafts and at least the smallest draft window. Null when it would repeat Jacobi's own sweep.
     */
    private Candidate draftCandidate(int c, Candidate own, boolean behind) {
        int end = (int) Math.min(Math.min(n, (long) c + window), Math.max(c + drafted.length, (long) c + policy.minWindow()));
        int valued = c + drafted.length;
        while (valued < end && jacobi.has(valued)) valued++;
        int[] guesses = Arrays.copyOf(drafted, valued - c);
        for (int t = c + drafted.length; t < valued; t++) guesses[t - c] = jacobi.value(t);
        if (!behind && end <= own.end() && guesses.length <= own.guesses().length
                && Arrays.equals(guesses, 0, guesses.length, own.guesses(), 0, guesses.length)) {
            return null; // the same guesses over a part of Jacobi's sweep: it would certify no further
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
    private void finish(int c, Candidate own, Candidate drafts, double[][] rows, DraftRequests requests) {
        boolean overCertify = planted == JacobiSampler.Planted.OVER_CERTIFY;
        Candidate.Outcome mine = own == null ? null : own.certify(ar, coupling, noise, rounds, rows[0], overCertify);
        Candidate.Outcome theirs = drafts == null ? null
                : drafts.certify(ar, coupling, noise, rounds, rows[own == null ? 0 : 1], overCertify);
        Candidate.Outcome best = null;
        int done = c;
        for (Candidate.Outcome o : new Candidate.Outcome[] {mine, theirs}) {
            if (o != null && o.done() > done) {
                best = o;
                done = o.done();
            }
        }
        if (best == null) throw new IllegalStateException("a round certified nothing at step " + c + " of " + n);
        certified = ar.extend(certified, Arrays.copyOfRange(best.next(), c - best.from(), done - best.from()), done - c);
        jacobi.advance(n, mine);
        int round = rounds++;

        if (policy != null) {
            boolean aligned = mine != null && mine.from() == c;
            int agree = -1, count = 0;
            if (requests.starts().length > 0 && aligned) {
                count = requests.counts()[0];
                agree = 0;
                while (agree < count && c + agree < own.end() && draft(requests, 0, c + agree, round) == mine.value(c + agree)) agree++;
            }
            policy.after(new DraftPolicy.Round(rounds, c, done, aligned ? mine.done() : -1, theirs == null ? -1 : theirs.done(),
                    agree, count), n);
            nextDrafts(c, done, requests, round);
            if (planted == JacobiSampler.Planted.REPLACE_ITERATE && best == theirs) jacobi.replace(done, drafted);
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
