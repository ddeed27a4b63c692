package io.autospec.spi;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * A value that becomes available at a later round barrier: the single-threaded future the
 * strategies are written with. An oracle call returns a {@code Deferred} that
 * the round scheduler ({@code RoundScheduler}) completes when the round's batch has been evaluated; continuations run
 * synchronously, in completion order, on the scheduler's thread, so host logic is deterministic.
 *
 * <p><b>SPI</b>: strategies return and chain these; only the engine completes the ones an oracle call returns.
 */
public final class Deferred<T> {
    private static final Object PENDING = new Object();

    private Object value = PENDING;
    private Object waiters; // null, one Consumer, or a List of them

    /** {@return a deferred that is already complete} */
    public static <T> Deferred<T> done(T value) {
        Deferred<T> d = new Deferred<>();
        d.value = value;
        return d;
    }

    /** {@return whether the value is available} */
    public boolean isDone() {
        return value != PENDING;
    }

    /** {@return the value}, which must be available ({@link #isDone()}). */
    @SuppressWarnings("unchecked")
    public T get() {
        if (value == PENDING) throw new IllegalStateException("not complete");
        return (T) value;
    }

    /** Completes this deferred and runs its continuations (in the order they were registered). */
    @SuppressWarnings("unchecked")
    public void complete(T v) {
        if (value != PENDING) throw new IllegalStateException("completed twice");
        value = v;
        Object w = waiters;
        waiters = null;
        if (w == null) return;
        if (w instanceof List<?> list) {
            for (Object c : list) ((Consumer<T>) c).accept(v);
        } else {
            ((Consumer<T>) w).accept(v);
        }
    }

    /** Runs {@code action} with the value once it is available (immediately if it is). */
    @SuppressWarnings("unchecked")
    public void whenDone(Consumer<? super T> action) {
        if (value != PENDING) {
            action.accept((T) value);
        } else if (waiters == null) {
            waiters = action;
        } else if (waiters instanceof List<?> list) {
            ((List<Object>) list).add(action);
        } else {
            List<Object> list = new ArrayList<>(2);
            list.add(waiters);
            list.add(action);
            waiters = list;
        }
    }

    /** Continues with another deferred computation (monadic bind, like {@code thenCompose}). */
    public <U> Deferred<U> then(Function<? super T, Deferred<U>> next) {
        if (isDone()) return next.apply(get());
        Deferred<U> out = new Deferred<>();
        whenDone(v -> next.apply(v).whenDone(out::complete));
        return out;
    }

    /** Continues with a plain function of the value. */
    public <U> Deferred<U> map(Function<? super T, ? extends U> f) {
        if (isDone()) return done(f.apply(get()));
        Deferred<U> out = new Deferred<>();
        whenDone(v -> out.complete(f.apply(v)));
        return out;
    }
}
