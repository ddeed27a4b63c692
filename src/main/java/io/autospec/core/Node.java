package io.autospec.core;

import io.autospec.rng.Key;
import io.autospec.rng.Purpose;

/**
 * A position in the recursion tree of one sample: its random stream (addressed by the path of L/R
 * choices and trial indices from the sample's root), its depth (for per-level metrics) and the
 * cancellation scope its oracle requests belong to.
 */
public final class Node {
    private final int sample;
    private final Key key;
    private final int depth;
    private final CancelScope scope;

    public Node(int sample, Key key, int depth, CancelScope scope) {
        this.sample = sample;
        this.key = key;
        this.depth = depth;
        this.scope = scope;
    }

    /** The root node of sample {@code sample} of a run with the given seed. */
    public static Node root(long seed, int sample) {
        Key k = Key.ofSeed(seed).derive(Purpose.TAG_SAMPLE, sample, 0);
        return new Node(sample, k, 0, CancelScope.ROOT);
    }

    public int sample() {
        return sample;
    }

    public Key key() {
        return key;
    }

    public int depth() {
        return depth;
    }

    public CancelScope scope() {
        return scope;
    }

    /** The node sampling the left half L(S). */
    public Node left() {
        return new Node(sample, key.derive(Purpose.TAG_LEFT, 0, 0), depth + 1, scope);
    }

    /** The node sampling the right half R(S). */
    public Node right() {
        return new Node(sample, key.derive(Purpose.TAG_RIGHT, 0, 0), depth + 1, scope);
    }

    /** Fallback trial {@code j} of this node, in its own cancellable scope. */
    public Node trial(int j) {
        return new Node(sample, key.derive(Purpose.TAG_TRIAL, j, 0), depth, scope.child());
    }

    /** The stream of step {@code step} in a step-by-step strategy. */
    public Node step(int step) {
        return new Node(sample, key.derive(Purpose.TAG_STEP, step, 0), depth, scope);
    }

    /** The node of a strategy handed the rest of a sample by another one (its own stream). */
    public Node rest() {
        return new Node(sample, key.derive(Purpose.TAG_REST, 0, 0), depth, scope);
    }

    /** Uniform in [0,1) for draw (purpose, index). */
    public double uniform(int purpose, int index) {
        return key.uniform(purpose, index, 0);
    }
}
