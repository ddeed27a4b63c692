package io.autospec.ar;

import java.util.Locale;

/**
 * The symbols of a text model: value v of every position is the v-th code point of the symbols.
 * A learned character model carries one ({@link Carrier}); {@code --format text} decodes samples
 * with it and {@code --given TEXT} encodes a pattern with it.
 *
 * <p><b>Patterns</b> ({@link #pattern}): code point i of the text pins position i to that
 * character's value; {@value #FREE} marks a free position, and positions past the end of the text
 * are free. Upper-case letters are read as lower-case when the vocabulary has no upper-case
 * letters. A vocabulary that contains {@value #FREE} itself cannot take patterns.
 */
public final class Vocabulary {
    /** The character that marks a free position in a {@code --given} pattern. */
    public static final char FREE = '_';

    /** An oracle whose values are the symbols of a vocabulary (a text model). */
    public interface Carrier {
        /** {@return the vocabulary, or null when the model has none} */
        Vocabulary vocabulary();
    }

    private final String symbols;
    private final int[] codePoints;                 // value v is code point codePoints[v]
    private final java.util.Map<Integer, Integer> values; // code point -> value
    private final boolean hasUpper;

    private Vocabulary(String symbols, int[] codePoints, java.util.Map<Integer, Integer> values) {
        this.symbols = symbols;
        this.codePoints = codePoints;
        this.values = values;
        this.hasUpper = !symbols.equals(symbols.toLowerCase(Locale.ROOT));
    }

    /**
     * A vocabulary of distinct symbols, value v being the v-th code point of {@code symbols}: a
     * symbol outside the Basic Multilingual Plane (an emoji) is one symbol, not two UTF-16 chars.
     *
     * @param symbols the symbols in value order (at least 2, no repeats, no line breaks, no unpaired surrogates)
     * @return the vocabulary
     */
    public static Vocabulary of(String symbols) {
        if (symbols == null || symbols.codePointCount(0, symbols.length()) < 2) {
            throw new IllegalArgumentException("a vocabulary needs at least 2 symbols, got " + quote(symbols));
        }
        int[] cps = symbols.codePoints().toArray();
        java.util.Map<Integer, Integer> values = new java.util.HashMap<>();
        for (int v = 0; v < cps.length; v++) {
            int c = cps[v];
            if (c == '\n' || c == '\r') throw new IllegalArgumentException("a vocabulary symbol may not be a line break (value " + v + ")");
            if (Character.isSurrogate((char) c) && c <= 0xFFFF) {
                throw new IllegalArgumentException("vocabulary value " + v + " is an unpaired UTF-16 surrogate (U+" + Integer.toHexString(c).toUpperCase(Locale.ROOT) + ")");
            }
            Integer before = values.putIfAbsent(c, v);
            if (before != null) throw new IllegalArgumentException("vocabulary symbol " + quote(Character.toString(c)) + " repeats (values " + before + " and " + v + ")");
        }
        return new Vocabulary(symbols, cps, values);
    }

    /** {@return the number of symbols (q): code points, not UTF-16 chars} */
    public int size() {
        return codePoints.length;
    }

    /** {@return the symbols in value order} */
    public String symbols() {
        return symbols;
    }

    /** {@return the code point of value v} */
    public int codePoint(int v) {
        return codePoints[v];
    }

    /** {@return the symbol of value v, as a string (two UTF-16 chars outside the Basic Multilingual Plane)} */
    public String symbol(int v) {
        return Character.toString(codePoints[v]);
    }

    /** {@return the string of a sample's values; '?' for a value outside the vocabulary} */
    public String decode(int[] values) {
        StringBuilder sb = new StringBuilder(values.length);
        for (int v : values) {
            if (v >= 0 && v < codePoints.length) sb.appendCodePoint(codePoints[v]);
            else sb.append('?');
        }
        return sb.toString();
    }

    /** {@return the value of code point c (lower-cased when the vocabulary has no upper case), or -1} */
    public int encode(int c) {
        Integer v = values.get(c);
        if (v == null && !hasUpper) v = values.get(Character.toLowerCase(c));
        return v == null ? -1 : v;
    }

    /**
     * Reads a {@code --given} pattern for n positions: {@code values[i]} is the pinned value of
     * position i, or -1 where it is free. Position i is the i-th code point of the text.
     *
     * @param text the pattern ({@value #FREE} free; shorter than n leaves the rest free)
     * @param n    the model's number of positions
     * @return one entry per position
     */
    public int[] pattern(String text, int n) {
        if (values.containsKey((int) FREE)) {
            throw new IllegalArgumentException("this model's vocabulary contains '" + FREE + "', which marks free positions in a --given pattern;"
                    + " give the pins as POS=VALUE,... instead");
        }
        int[] cps = text.codePoints().toArray();
        if (cps.length > n) throw new IllegalArgumentException("--given text has " + cps.length + " characters; the model has " + n + " positions");
        int[] out = new int[n];
        java.util.Arrays.fill(out, -1);
        for (int i = 0; i < cps.length; i++) {
            int c = cps[i];
            if (c == FREE) continue;
            int v = encode(c);
            if (v < 0) {
                throw new IllegalArgumentException("--given text: " + quote(Character.toString(c)) + " at position " + i + " is not in the model's vocabulary "
                        + quote(symbols) + " ('" + FREE + "' marks a free position)");
            }
            out[i] = v;
        }
        return out;
    }

    private static String quote(String s) {
        return s == null ? "null" : "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }

    @Override
    public String toString() {
        return "Vocabulary" + quote(symbols);
    }
}
