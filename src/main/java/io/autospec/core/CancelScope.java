package io.autospec.core;

/**
 * Marks a subtree of the recursion that may be abandoned: when a fallback decides on trial j, the
 * scopes of trials after j are cancelled and their pending oracle requests are dropped before the
 * next round is evaluated (they cost no queries). A scope is cancelled if it or any ancestor is.
 *
 * <p><b>Internal</b>: engine machinery, public only because other packages of the library use it;
 * not part of the API and may change without notice.
 */
public final class CancelScope {
    /** The scope of a whole sample; never cancelled. */
    public static final CancelScope ROOT = new CancelScope(null);

    private final CancelScope parent;
    private boolean cancelled;

    private CancelScope(CancelScope parent) {
        this.parent = parent;
    }

    /** {@return a new scope below this one} */
    public CancelScope child() {
        return new CancelScope(this);
    }

    /** Cancels this scope and every scope below it. */
    public void cancel() {
        cancelled = true;
    }

    /** {@return whether this scope or an ancestor was cancelled} */
    public boolean isCancelled() {
        for (CancelScope s = this; s != null; s = s.parent) {
            if (s.cancelled) return true;
        }
        return false;
    }
}
