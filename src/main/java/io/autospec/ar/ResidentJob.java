package io.autospec.ar;

import io.autospec.core.DeviceRounds;
import io.autospec.spi.Node;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The samples of one run handed to a {@link ResidentRounds} backend.
 *
 * @param oracle    the model
 * @param plan      the strategy's rounds (fixed point: window and coupling; token windows)
 * @param roots     each sample's root node (its random streams)
 * @param orders    each sample's order (prepared for the oracle)
 * @param capacity  the most queries one launch may evaluate (a device run whose round is larger declines)
 * @param roundDone called once per round, with the queries of the round
 */
public record ResidentJob(ConditionalOracle oracle, DeviceRounds plan, List<Node> roots, List<Order> orders, int capacity,
                          LongConsumer roundDone) {
    public ResidentJob {
        if (roots.size() != orders.size() || roots.isEmpty()) {
            throw new IllegalArgumentException(roots.size() + " roots for " + orders.size() + " orders");
        }
    }

    /** {@return the number of samples} */
    public int samples() {
        return roots.size();
    }
}
