package io.autospec.ar;

import io.autospec.core.FixedPoint;
import io.autospec.spi.Node;
import java.util.List;
import java.util.function.LongConsumer;

/**
 * The samples of one fixed-point run handed to a {@link FixedPointDevice}.
 *
 * @param oracle    the model
 * @param run       the window and coupling
 * @param roots     each sample's root node: step t's random numbers are {@code run.coupling().noise(root.step(t), t, q)}
 * @param orders    each sample's order (prepared for the oracle)
 * @param capacity  the most queries one launch may evaluate (a device run whose round is larger declines)
 * @param roundDone called once per round, with the queries of the round
 */
public record FixedPointJob(ConditionalOracle oracle, FixedPoint run, List<Node> roots, List<Order> orders, int capacity,
                            LongConsumer roundDone) {
    public FixedPointJob {
        if (roots.size() != orders.size() || roots.isEmpty()) {
            throw new IllegalArgumentException(roots.size() + " roots for " + orders.size() + " orders");
        }
    }

    /** {@return the number of samples} */
    public int samples() {
        return roots.size();
    }
}
