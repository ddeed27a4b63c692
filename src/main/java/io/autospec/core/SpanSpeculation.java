package io.autospec.core;

/**
 * The part every speculation shares: its prefix state and its span S = [a, b).
 *
 * <p><b>SPI</b>: a base for speculations of a step process of your own.
 */
public abstract class SpanSpeculation<P, Y> implements Speculation<P, Y> {
    /** The state before step a. */
    protected final P prefix;
    /** The span [a, b). */
    protected final int a, b;

    /** The speculation of span [a, b) at {@code prefix}. */
    protected SpanSpeculation(P prefix, int a, int b) {
        if (!(a < b)) throw new IllegalArgumentException("empty span [" + a + ", " + b + ")");
        this.prefix = prefix;
        this.a = a;
        this.b = b;
    }

    @Override
    public final int from() {
        return a;
    }

    @Override
    public final int to() {
        return b;
    }
}
