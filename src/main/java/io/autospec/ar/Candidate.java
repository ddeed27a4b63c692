package io.autospec.ar;

import io.autospec.core.Coupling;

/**
 * One candidate iterate of a round of fixed-point iteration: a true prefix of length {@code from}
 * (a prefix of the certified one) followed by guesses at steps [from, from + guesses.length), swept at
 * steps [from, end): step t is redrawn, with its fixed random numbers r_t, from its conditional given
 * the candidate's values at the steps before it (the guesses as far as they go), one batched request.
 *
 * <p><b>Certification.</b> Let j be the first swept step whose value changed (a step without a guess
 * counts as changed). Steps from..j were drawn given the candidate's values before them, which equal
 * the new values there; by induction from step {@code from}, whose context is a true prefix, each is
 * the sequential draw C(p_t(. | true prefix), r_t). So [from, j] is final. The argument never asks
 * where the guesses came from: Jacobi's previous iterate, drafts, anything.
 *
 * @param from    the length of the true prefix the candidate starts from
 * @param guesses the guessed values of steps [from, from + guesses.length)
 * @param context that prefix extended by the guesses (the branch the request reads)
 * @param end     the sweep covers steps [from, end), end &gt; from
 */
record Candidate(int from, int[] guesses, Branch context, int end) {
    Candidate {
        if (end <= from || guesses.length > end - from) {
            throw new IllegalArgumentException("a sweep of steps [" + from + ", " + end + ") with " + guesses.length + " guesses");
        }
    }

    /** What a sweep of the candidate found. */
    record Outcome(int from, int[] next, int firstChange, int done) {
        /** {@return the value the sweep drew at step t (from &lt;= t &lt; from + next.length)} */
        int value(int t) {
            return next[t - from];
        }
    }

    /** A candidate from the true prefix {@code prefix} (length {@code from}) with {@code guesses} after it. */
    static Candidate of(ArProcess ar, Branch prefix, int[] guesses, int end) {
        return new Candidate(prefix.length(), guesses, guesses.length > 0 ? ar.extend(prefix, guesses, guesses.length) : prefix, end);
    }

    /**
     * Draws the swept steps from the request's rows and certifies the prefix up to and including the
     * first changed step ({@code overCertify}: one step more, the planted wrong variant).
     */
    Outcome certify(ArProcess ar, Coupling coupling, StepNoise noise, int round, double[] rows, boolean overCertify) {
        int valued = from + guesses.length;
        int[] next = new int[end - from];
        int firstChange = valued; // steps from `valued` on had no guess: they count as changed
        for (int t = from; t < end; t++) {
            int i = t - from;
            double[] r = noise.at(t, round);
            if (t <= firstChange) {
                // The context of step t is a true prefix: draw it, with the oracle's errors.
                next[i] = ar.draw(rows, i, coupling, r, context, t, Math.min(t, valued));
                if (t < firstChange && next[i] != guesses[i]) firstChange = t;
            } else {
                // A context built from stale guesses may have probability zero: any value will do.
                next[i] = Math.max(coupling.draw(rows, i * ar.alphabet(), ar.alphabet(), r), 0);
            }
        }
        int done = Math.min(firstChange + 1 + (overCertify ? 1 : 0), end);
        return new Outcome(from, next, firstChange, done);
    }
}
