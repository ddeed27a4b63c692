package io.autospec.ar;

import java.util.List;

/**
 * What a backend's resident rounds left ({@link ResidentRounds}): every sample finished, with its
 * values; or (auto, when some sample's draft policy starts drafting) every sample's state at the end of
 * the last round, from which the engine goes on with the same rounds it would have run.
 *
 * @param values   each sample's n values in step order, when every sample finished; else null
 * @param handBack each sample's state, when the engine takes over; else null
 */
public record ResidentResult(int[][] values, List<FixedPointState> handBack) {
    public ResidentResult {
        if ((values == null) == (handBack == null)) throw new IllegalArgumentException("either values or a hand-back");
    }

    /** A fixed-point sample's state after some rounds (see {@link AutoSampler#resume}).
     *
     * @param certified the certified length c
     * @param iterate   Jacobi's iterate in step order: the certified prefix, then its values at [c, known)
     * @param rounds    rounds the sample has finished
     * @param stalls    the draft policy's stalls in a row
     * @param draftWins its draft wins in a row
     * @param drafting  whether it drafts from the next round on ({@code forGood}: after draft wins)
     * @param forGood   whether that drafting never stops
     * @param drafted   the drafts of the next round (steps from c on; empty unless drafting)
     */
    public record FixedPointState(int certified, int[] iterate, int rounds, int stalls, int draftWins, boolean drafting,
                                  boolean forGood, int[] drafted) {}
}
