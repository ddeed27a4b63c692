package io.autospec.ar;

import java.util.Locale;

/**
 * The symbols of a text model: value v of every position is the character {@code symbols.charAt(v)}.
 * A learned character model carries one ({@link Carrier}); {@code --format text} decodes samples
 * with it and {@code --given TEXT} encodes a pattern with it.
 *
 * <p><b>Patterns</b> ({@link #pattern}): character i of the text pins position i to that
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
    private final boolean hasUpper;

    private Vocabulary(String symbols) {
        this.symbols = symbols;
        this.hasUpper = !symbols.equals(symbols.toLowerCase(Locale.ROOT));
    }

    /**
     * A vocabulary of distinct characters, value v being {@code symbols.charAt(v)}.
     *
     * @param symbols the characters in value order (at least 2, no repeats, no line breaks)
     * @return the vocabulary
     */
    public static Vocabulary of(String symbols) {
        if (symbols == null || symbols.length() < 2) throw new IllegalArgumentException("a vocabulary needs at least 2 symbols, got " + quote(symbols));
        for (int i = 0; i < symbols.length(); i++) {
            char c = symbols.charAt(i);
            if (c == '\n' || c == '\r') throw new IllegalArgumentException("a vocabulary symbol may not be a line break (value " + i + ")");
            if (symbols.indexOf(c) != i) throw new IllegalArgumentException("vocabulary symbol " + quote(String.valueOf(c)) + " repeats (values " + symbols.indexOf(c) + " and " + i + ")");
        }
        return new Vocabulary(symbols);
    }

    /** {@return the number of symbols (q)} */
    public int size() {
        return symbols.length();
    }

    /** {@return the symbols in value order} */
    public String symbols() {
        return symbols;
    }

    /** {@return the symbol of value v} */
    public char symbol(int v) {
        return symbols.charAt(v);
    }

    /** {@return the string of a sample's values} */
    public String decode(int[] values) {
        StringBuilder sb = new StringBuilder(values.length);
        for (int v : values) sb.append(v >= 0 && v < symbols.length() ? symbols.charAt(v) : '?');
        return sb.toString();
    }

    /** {@return the value of character c (lower-cased when the vocabulary has no upper case), or -1} */
    public int encode(char c) {
        int v = symbols.indexOf(c);
        if (v < 0 && !hasUpper) v = symbols.indexOf(Character.toLowerCase(c));
        return v;
    }

    /**
     * Reads a {@code --given} pattern for n positions: {@code values[i]} is the pinned value of
     * position i, or -1 where it is free.
     *
     * @param text the pattern ({@value #FREE} free; shorter than n leaves the rest free)
     * @param n    the model's number of positions
     * @return one entry per position
     */
    public int[] pattern(String text, int n) {
        if (symbols.indexOf(FREE) >= 0) {
            throw new IllegalArgumentException("this model's vocabulary contains '" + FREE + "', which marks free positions in a --given pattern;"
                    + " give the pins as POS=VALUE,... instead");
        }
        if (text.length() > n) throw new IllegalArgumentException("--given text has " + text.length() + " characters; the model has " + n + " positions");
        int[] out = new int[n];
        java.util.Arrays.fill(out, -1);
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == FREE) continue;
            int v = encode(c);
            if (v < 0) {
                throw new IllegalArgumentException("--given text: " + quote(String.valueOf(c)) + " at position " + i + " is not in the model's vocabulary "
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
