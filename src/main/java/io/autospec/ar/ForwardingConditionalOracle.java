package io.autospec.ar;

/**
 * An oracle that forwards everything to another one; override what you want to change (count
 * queries, log them, perturb them in a test, cache them...).
 */
public abstract class ForwardingConditionalOracle implements ConditionalOracle {
    /** The oracle everything is forwarded to. */
    protected final ConditionalOracle delegate;

    /** Forwards to {@code delegate}. */
    protected ForwardingConditionalOracle(ConditionalOracle delegate) {
        this.delegate = java.util.Objects.requireNonNull(delegate, "delegate");
    }

    @Override
    public int length() {
        return delegate.length();
    }

    @Override
    public int alphabet() {
        return delegate.alphabet();
    }

    @Override
    public String describe() {
        return delegate.describe();
    }

    @Override
    public void conditionals(ConditionalQueries batch, int from, int to, double[] out) {
        delegate.conditionals(batch, from, to, out);
    }

    @Override
    public boolean leftToRight() {
        return delegate.leftToRight();
    }

    @Override
    public boolean wholeLaunch() {
        return delegate.wholeLaunch();
    }

    @Override
    public long forwardRows() {
        return delegate.forwardRows();
    }

    @Override
    public PrefixSummary prefixSummary() {
        return delegate.prefixSummary();
    }

    @Override
    public Object prepare(Order order) {
        return delegate.prepare(order);
    }
}
