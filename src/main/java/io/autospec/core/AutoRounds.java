package io.autospec.core;

/**
 * The Jacobi part of {@code auto} as device rounds: Jacobi's sweeps over a window of W steps and,
 * from the second round on, the draft request (the marginals of the next D steps at the certified
 * prefix), with its draft policy's stall and draft-win counts, as long as no sample's policy starts
 * drafting. A backend that runs them hands every sample back to the engine, in the state its rounds
 * left, at the end of the round in which some sample's policy starts drafting (drafting rounds are the
 * engine's).
 *
 * @param window        Jacobi's window ({@code Integer.MAX_VALUE}: every uncertified step)
 * @param coupling      how a step's random numbers become its value
 * @param draftWindow   D, the smallest draft window
 * @param stallFraction the stall rule's fraction
 * @param stallSweeps   stalls (or draft wins) in a row that start drafting
 * @param hedge         whether draft wins start drafting
 */
public record AutoRounds(int window, Coupling coupling, int draftWindow, int stallFraction, int stallSweeps, boolean hedge)
        implements DeviceRounds {
    public AutoRounds {
        if (window < 1 || draftWindow < 1 || stallFraction < 1 || stallSweeps < 1 || coupling == null) {
            throw new IllegalArgumentException("auto rounds: window " + window + ", draft window " + draftWindow + ", stall rule 1/"
                    + stallFraction + " x" + stallSweeps);
        }
    }
}
