package io.autospec.ar;

/**
 * When {@code auto} drafts: a function of this sample's finished rounds only (certified lengths, which
 * candidate certified how far, and values at certified steps), so it picks guesses and never affects a
 * certified value, and it reads nothing beyond the certified prefix, so the certified length after any
 * round stays a stopping time of the sequential sampler's random numbers (what a hand-over needs).
 *
 * <ul>
 *   <li><b>Stall</b>: a round s &gt;= 2 that certified at most one step with more than
 *       1/{@code stallFraction} of the steps uncertified (a chain read in order: Jacobi's iterate is a
 *       shifted copy of the truth). {@code stallSweeps} stalls in a row start drafting; it stops after
 *       {@code stallSweeps} rounds in a row in which Jacobi's own iterate certified further than the drafts.</li>
 *   <li><b>Draft win</b> ({@code hedge}): a round whose draft from the certified prefix agreed with
 *       Jacobi's new values at least as far as the round certified, while the round advanced less than a
 *       draft window (spanning trees and tilings: a few steps a round, never one, so never a stall).
 *       {@code stallSweeps} of them in a row start drafting for good.</li>
 * </ul>
 * While drafting, each round drafts from {@code levels} contexts, over max(minWindow, 2R) steps, R the
 * running mean advance of drafting rounds.
 */
final class DraftPolicy {

    /**
     * @param minWindow     smallest draft window (steps drafted from one context)
     * @param levels        contexts drafted from per round while drafting: the certified prefix and
     *                      the prefix extended by the current guesses to fractions of the expected advance
     * @param stallFraction the stall rule's fraction
     * @param stallSweeps   stalled (or draft-win) rounds in a row that start drafting
     * @param hedge         whether draft wins start drafting
     */
    record Settings(int minWindow, int levels, int stallFraction, int stallSweeps, boolean hedge) {
        Settings {
            if (minWindow < 1) throw new IllegalArgumentException("draft window must be >= 1, got " + minWindow);
            if (levels < 1) throw new IllegalArgumentException("draft levels must be >= 1, got " + levels);
            if (stallFraction < 1) throw new IllegalArgumentException("stall fraction must be >= 1, got " + stallFraction);
            if (stallSweeps < 1) throw new IllegalArgumentException("stalled sweeps must be >= 1, got " + stallSweeps);
        }
    }

    /**
     * What a finished round tells the policy.
     *
     * @param round      rounds so far, this one included
     * @param from       the certified length before the round
     * @param to         the certified length after it
     * @param jacobi     how far Jacobi's own iterate certified (-1: it lags behind the certified prefix)
     * @param drafts     how far the drafted candidate certified (-1: none was swept)
     * @param draftAgree how far, up to {@code to}, the draft from the certified prefix agreed with Jacobi's new values (-1: unknown)
     * @param draftCount steps that draft covered
     */
    record Round(int round, int from, int to, int jacobi, int drafts, int draftAgree, int draftCount) {}

    private final Settings settings;
    private boolean drafting;
    private boolean forGood;     // started by draft wins: drafting never stops
    private double reach;        // running mean advance of drafting rounds
    private int stalls;          // stalled rounds in a row
    private int draftWins;       // draft wins in a row
    private int jacobiBetter;    // drafting rounds in a row where Jacobi's iterate certified further than the drafts

    DraftPolicy(Settings settings) {
        this.settings = settings;
    }

    /**
     * Restores the state a backend's rounds left (they run only while the policy does not draft, and
     * stop after the round in which it starts): stalls and draft wins in a row, and whether (and for
     * good) it drafts from the next round on.
     */
    void restore(int stalls, int draftWins, boolean drafting, boolean forGood) {
        if (drafting) {
            start(forGood);
        } else {
            this.stalls = stalls;
            this.draftWins = draftWins;
        }
    }

    /** {@return whether the next round drafts (and sweeps the drafted candidate)} */
    boolean drafting() {
        return drafting;
    }

    /**
     * {@return whether a lagging Jacobi iterate also goes on rebased at the certified prefix} (not while
     * drafting after stalls: there Jacobi's iterate is a shifted copy of the truth and only drafts advance)
     */
    boolean rebases() {
        return !drafting || forGood;
    }

    /** {@return contexts to draft from in the next round} */
    int levels() {
        return drafting ? settings.levels() : 1;
    }

    /** {@return the running mean advance of drafting rounds (0 before any)} */
    double reach() {
        return reach;
    }

    /** {@return steps a draft covers: max(minWindow, 2R), at most the window and n} */
    int draftWindow(int n, int window) {
        return (int) Math.min(window, Math.max(settings.minWindow(), Math.min(n, Math.ceil(2 * reach))));
    }

    /** {@return the smallest sweep of the drafted candidate} */
    int minWindow() {
        return settings.minWindow();
    }

    /** Updates the mode after a round. */
    void after(Round r, int n) {
        int advance = r.to() - r.from();
        if (drafting) {
            reach = reach == 0 ? advance : (reach + advance) / 2;
            // A drafted candidate not swept repeated Jacobi's guesses: no evidence either way.
            if (r.drafts() >= 0) jacobiBetter = r.jacobi() > r.drafts() ? jacobiBetter + 1 : 0;
            if (!forGood && jacobiBetter >= settings.stallSweeps()) drafting = false;
            return;
        }
        boolean stalled = r.round() >= 2 && advance <= 1 && (long) advance * settings.stallFraction() < n - r.from();
        boolean draftWin = r.round() >= 2 && r.to() < n && r.draftAgree() >= 0 && advance < r.draftCount() && r.draftAgree() >= advance;
        stalls = stalled ? stalls + 1 : 0;
        draftWins = draftWin ? draftWins + 1 : 0;
        if (stalls >= settings.stallSweeps()) {
            start(false);
        } else if (settings.hedge() && draftWins >= settings.stallSweeps()) {
            start(true);
        }
    }

    private void start(boolean forGood) {
        drafting = true;
        this.forGood = forGood;
        reach = 0;
        jacobiBetter = 0;
        stalls = 0;
        draftWins = 0;
    }
}
