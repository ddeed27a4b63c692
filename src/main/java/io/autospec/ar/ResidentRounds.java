package io.autospec.ar;

/**
 * A backend that can run the rounds of a {@link io.autospec.core.DeviceRounds} strategy
 * ({@code sequential}, {@code jacobi}: fixed points; {@code token}: token windows) with every sample's
 * state on its device, instead of the engine building each round on the host. It must give what the
 * engine gives: the same samples bit for bit, one barrier per round, the same queries, and the same
 * errors for the same bad rows.
 */
public interface ResidentRounds {

    /**
     * Runs the job's samples to their ends, reporting each round to {@link ResidentJob#roundDone}.
     *
     * @param job the samples (their orders and streams), the oracle and the strategy's plan
     * @return each sample's values in step order (the value at step t is that of position
     *         {@code orders.get(s).position(t)}), or (auto) the samples' states for the engine to go on
     *         from; or null when this backend cannot run the job on its device (no device kernel for
     *         the oracle, a plan or coupling rule it does not know, state that does not fit); the engine
     *         then runs the rounds itself
     * @throws io.autospec.core.OracleException naming the query when the oracle returns a row that is no
     *         distribution, or no mass where a value had to be drawn
     */
    ResidentResult runResident(ResidentJob job);
}
