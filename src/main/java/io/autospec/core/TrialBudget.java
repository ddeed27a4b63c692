package io.autospec.core;

import java.util.ArrayDeque;

/**
 * The run-wide bound on the fallback trials that run at the same time: every running trial holds
 * |S| steps of the budget (its memory is proportional to its span), whichever fallback, depth or
 * sample it belongs to. A fallback may always run one trial (its <em>own</em> trial), budget or
 * not, so nested fallbacks can never starve each other; further trials start only while the live
 * steps stay within the limit, else the fallback waits in a first-come queue until trials end.
 *
 * <p>Only the batch shape changes (which trials run when), never the answer: a fallback still
 * answers with its lowest accepted trial index, and trial j draws its randomness from its path.
 *
 * <p>Bound: trials admitted beyond their fallbacks' own ones cover at most {@code limit} steps
 * together (each needed live + |S| &le; limit). Own trials form chains: inside a trial of span s
 * runs at most one fallback at a time (halves are sequential), whose own trial spans at most s/2,
 * and so on, so the chain under an admitted trial covers less than s steps and the chain under a
 * sample's root less than 2n. Hence live trial steps &lt; 2 limit + 2 samples x n.
 */
final class TrialBudget {
    private final long limit;
    private final RunMetrics metrics;
    private long liveSteps;
    private long liveTrials;
    private final ArrayDeque<Waiter> waiting = new ArrayDeque<>();
    private boolean pumping;

    /** A fallback that wants more trials than the budget gave it. */
    interface Waiter {
        /** Starts trials while the budget admits them; true when it wants no more. */
        boolean fill();
    }

    TrialBudget(long limit, RunMetrics metrics) {
        this.limit = limit;
        this.metrics = metrics;
    }

    long limit() {
        return limit;
    }

    /** Takes {@code steps} for a trial: always when {@code own}, else only within the limit. */
    boolean acquire(long steps, boolean own) {
        if (!own && liveSteps + steps > limit) {
            metrics.trialWaits++;
            return false;
        }
        liveSteps += steps;
        liveTrials++;
        if (liveSteps > metrics.peakTrialSteps) metrics.peakTrialSteps = liveSteps;
        if (liveTrials > metrics.peakTrials) metrics.peakTrials = liveTrials;
        return true;
    }

    /** Returns a finished or cancelled trial's steps (call {@link #pump} when done updating). */
    void release(long steps) {
        liveSteps -= steps;
        liveTrials--;
    }

    /** Queues a fallback for more trials (it is served in arrival order by {@link #pump}). */
    void await(Waiter w) {
        waiting.add(w);
    }

    /** Lets waiting fallbacks start trials, first come first served, while the budget admits them. */
    void pump() {
        if (pumping) return; // starting a trial never ends one, but stay safe against re-entry
        pumping = true;
        try {
            while (!waiting.isEmpty() && waiting.peek().fill()) waiting.poll();
        } finally {
            pumping = false;
        }
    }
}
