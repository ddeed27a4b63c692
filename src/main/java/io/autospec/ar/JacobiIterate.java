package io.autospec.ar;

import java.util.Arrays;

/**
 * Jacobi's own iterate x^(k) of one sample: x^(k+1)_t = C(p_t(. | x^(k)_{&lt;t}), r_t) on the window
 * of W steps after its own certified prefix, older values beyond. Nothing else ever writes it: when
 * another candidate certifies further, the iterate still continues from its own values, so its
 * certified length after every round is exactly that of the {@code jacobi} strategy (with the same
 * window and random numbers), and the sample's certified prefix, the longest of all candidates', is
 * never shorter.
 *
 * <p>Its certified prefix is a prefix of the sample's. Sweeping only from the first step p at which
 * the iterate leaves the sample's certified prefix changes nothing: before p its context is the true
 * prefix and the sweep would redraw the true values there (no queries needed).
 */
final class JacobiIterate {
    private final int window;
    private int certified;         // its own certified length
    private int[] values = new int[0]; // its values at steps [certified, certified + values.length)

    JacobiIterate(int window, int start) {
        this.window = window;
        this.certified = start;
    }

    /** Restores the iterate a backend's rounds left: certified to c, its values at [c, c + values.length). */
    void restore(int c, int[] values) {
        this.certified = c;
        this.values = values.clone();
    }

    /** {@return whether the iterate has a value at step t} */
    boolean has(int t) {
        return t >= certified && t < certified + values.length;
    }

    /** {@return its value at step t ({@link #has})} */
    int value(int t) {
        return values[t - certified];
    }

    /** {@return its own certified length (the jacobi strategy's after the same rounds)} */
    int certified() {
        return certified;
    }

    /** {@return its window: steps [certified, certified + W)} */
    int end(int n) {
        return (int) Math.min(n, (long) certified + window);
    }

    /**
     * This round's sweep, as a candidate from the first step p at which the iterate leaves the
     * sample's certified prefix {@code truth} (a missing value leaves it), or null when its whole
     * window lies inside that prefix.
     */
    Candidate sweep(ArProcess ar, Branch truth) {
        int end = end(ar.length()), p = departure(truth);
        if (p == end) return null;
        int valued = Math.max(p, Math.min(certified + values.length, end));
        return Candidate.of(ar, truth.prefix(p), Arrays.copyOfRange(values, p - certified, valued - certified), end);
    }

    /** {@return the first step at which the iterate leaves {@code truth} (at most its length, and the window's end)} */
    private int departure(Branch truth) {
        int lim = Math.min(truth.length(), end(truth.order().length())), p = certified;
        while (p < lim && has(p) && value(p) == truth.valueAtRank(p)) p++;
        return p;
    }

    /** {@return whether the iterate's next sweep starts before the end of {@code truth}} (it lags behind it) */
    boolean lagsBehind(Branch truth) {
        return departure(truth) < truth.length();
    }

    /**
     * {@return a copy of this iterate restarted at the end of {@code truth}}: the true prefix, then this
     * iterate's values beyond it (Jacobi as it would continue had it certified as far).
     */
    JacobiIterate rebasedAt(Branch truth) {
        JacobiIterate copy = new JacobiIterate(window, certified);
        copy.values = values;
        copy.rebase(truth.length());
        return copy;
    }

    /** Restarts the iterate at the true prefix of length c &gt;= its certified length, keeping its values beyond. */
    void rebase(int c) {
        if (c < certified) throw new IllegalArgumentException("cannot rebase an iterate certified to " + certified + " at " + c);
        values = Arrays.copyOfRange(values, Math.min(c - certified, values.length), values.length);
        certified = c;
    }

    /**
     * The round's result: the sweep's values on its window, older ones beyond; the certified length
     * moves to the sweep's (or to the window's end when the window needed no sweep).
     */
    void advance(int n, Candidate.Outcome o) {
        int end = end(n), known = certified + values.length;
        int from = o == null ? end : o.done(), to = Math.max(known, end);
        int[] next = new int[Math.max(0, to - from)];
        for (int t = from; t < to; t++) next[t - from] = o != null && t < end ? o.value(t) : values[t - certified];
        values = next;
        certified = from;
    }

    /**
     * The planted slow rule only: restarts the iterate at the sample's certified length {@code c}
     * with {@code guesses} there, its own values beyond them.
     */
    void replace(int c, int[] guesses) {
        int known = certified + values.length, to = Math.max(known, c + guesses.length);
        int[] next = new int[to - c];
        for (int t = c; t < to; t++) next[t - c] = t < c + guesses.length ? guesses[t - c] : values[t - certified];
        values = next;
        certified = c;
    }
}
