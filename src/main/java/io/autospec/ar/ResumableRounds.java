package io.autospec.ar;

import io.autospec.core.RunMetrics;
import io.autospec.spi.Deferred;
import io.autospec.spi.Node;

/**
 * A strategy whose device rounds a backend may hand back part-way ({@link ResidentResult#handBack}):
 * it goes on with each sample, on the engine, from the state those rounds left.
 */
public interface ResumableRounds {

    /**
     * @param ar      the run's process
     * @param root    the sample's root node
     * @param state   where its device rounds stopped
     * @param metrics the run's metrics
     * @return the sample, once the engine's rounds have drawn it
     */
    Deferred<Branch> resume(ArProcess ar, Node root, ResidentResult.FixedPointState state, RunMetrics metrics);
}
