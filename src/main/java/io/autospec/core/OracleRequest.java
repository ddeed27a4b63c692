package io.autospec.core;

import io.autospec.spi.CancelScope;

/**
 * A group of queries issued together by one node (a speculation, a density check, one step...).
 * Its queries are written into the round's batch only when the round starts, so a request whose
 * scope was cancelled in the meantime costs nothing.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public abstract class OracleRequest<B extends QueryBatch> {
    private final CancelScope scope;

    /** A request belonging to {@code scope}. */
    protected OracleRequest(CancelScope scope) {
        this.scope = scope;
    }

    /** {@return the scope whose cancellation drops this request} */
    public final CancelScope scope() {
        return scope;
    }

    /**
     * Appends this request's queries to the batch. A large round is evaluated in pieces, so this may
     * run after earlier requests of the same round were delivered: read only data that no delivery
     * changes (prefixes are immutable).
     */
    protected abstract void write(B batch);

    /** Hands this request its outputs: queries [first, first + count) of the evaluated batch. */
    protected abstract void deliver(B batch, int first, int count);
}
