package io.autospec.spi;

import java.util.ArrayList;
import java.util.List;

/**
 * Marks a subtree of the recursion that may be abandoned: when a fallback decides on trial j, the
 * scopes of trials after j are cancelled and their pending oracle requests are dropped before the
 * next round is evaluated (they cost no queries). A scope is cancelled if it or any ancestor is.
 *
 * <p>Fallbacks running inside a scope register a hook with it, so that cancelling the scope also
 * cancels their running trials (recursively) and returns their share of the run's trial budget.
 *
 * <p><b>SPI</b>: a strategy's fallback trials each run in their own scope ({@link Node#trial}).
 */
public final class CancelScope {
    /** The scope of a whole sample; never cancelled. */
    public static final CancelScope ROOT = new CancelScope(null);

    private final CancelScope parent;
    private boolean cancelled;
    private List<Runnable> hooks; // run once, when this scope is cancelled

    private CancelScope(CancelScope parent) {
        this.parent = parent;
    }

    /** {@return a new scope below this one} */
    public CancelScope child() {
        return new CancelScope(this);
    }

    /** Cancels this scope and every scope below it. */
    public void cancel() {
        if (cancelled) return;
        cancelled = true;
        List<Runnable> h = hooks;
        hooks = null;
        if (h != null) for (Runnable r : h) r.run();
    }

    /** {@return whether this scope or an ancestor was cancelled} */
    public boolean isCancelled() {
        for (CancelScope s = this; s != null; s = s.parent) {
            if (s.cancelled) return true;
        }
        return false;
    }

    /** Runs {@code hook} when this scope is cancelled (never for {@link #ROOT}). */
    public void onCancel(Runnable hook) {
        if (this == ROOT) return;
        if (hooks == null) hooks = new ArrayList<>(1);
        hooks.add(hook);
    }

    /** Forgets a hook registered with {@link #onCancel} (by identity). */
    public void forget(Runnable hook) {
        if (hooks == null) return;
        for (int i = hooks.size() - 1; i >= 0; i--) {
            if (hooks.get(i) == hook) {
                hooks.remove(i);
                return;
            }
        }
    }
}
