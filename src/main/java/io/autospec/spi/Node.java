package io.autospec.spi;

import io.autospec.spi.Key;
import io.autospec.spi.Purpose;

/**
 * A position in the recursion tree of one sample: its random stream (addressed by the path of L/R
 * choices and trial indices from the sample's root), its depth (for per-level metrics) and the
 * cancellation scope its oracle requests belong to.
 *
 * <p><b>SPI</b>: a strategy walks the recursion with nodes and draws from their streams.
 */
public final class Node {
    private final int sample;
    private final Key key;
    private final int depth;
    private final CancelScope scope;

    /** A node of sample {@code sample} with its stream key, recursion depth and cancellation scope. */
    public Node(int sample, Key key, int depth, CancelScope scope) {
        this.sample = sample;
        this.key = key;
        this.depth = depth;
        this.scope = scope;
    }

    /** {@return the root node of sample {@code sample} of a run with the given seed} */
    public static Node root(long seed, int sample) {
        Key k = Key.ofSeed(seed).derive(Purpose.TAG_SAMPLE, sample, 0);
        return new Node(sample, k, 0, CancelScope.ROOT);
    }

    /** {@return the index of the sample this node belongs to} */
    public int sample() {
        return sample;
    }

    /** {@return the key of this node's random stream} */
    public Key key() {
        return key;
    }

    /** {@return the recursion depth (0 at the root)} */
    public int depth() {
        return depth;
    }

    /** {@return the cancellation scope of this node's oracle requests} */
    public CancelScope scope() {
        return scope;
    }

    /** {@return the node sampling the left half L(S)} */
    public Node left() {
        return new Node(sample, key.derive(Purpose.TAG_LEFT, 0, 0), depth + 1, scope);
    }

    /** {@return the node sampling the right half R(S)} */
    public Node right() {
        return new Node(sample, key.derive(Purpose.TAG_RIGHT, 0, 0), depth + 1, scope);
    }

    /** {@return fallback trial {@code j} of this node, in its own cancellable scope} */
    public Node trial(int j) {
        return new Node(sample, key.derive(Purpose.TAG_TRIAL, j, 0), depth, scope.child());
    }

    /** {@return the stream of step {@code step} in a step-by-step strategy} */
    public Node step(int step) {
        return new Node(sample, key.derive(Purpose.TAG_STEP, step, 0), depth, scope);
    }

    /** {@return the node of a strategy handed the rest of a sample by another one (its own stream)} */
    public Node rest() {
        return new Node(sample, key.derive(Purpose.TAG_REST, 0, 0), depth, scope);
    }

    /** {@return a uniform double in [0,1) for draw (purpose, index)} */
    public double uniform(int purpose, int index) {
        return key.uniform(purpose, index, 0);
    }
}
