package io.autospec.spec;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A spec in the library's one grammar, {@code NAME[:key=value,...]} (e.g. {@code token:window=64},
 * {@code auto:redraft=false}): the name and the settings in the order given, with typed getters
 * whose errors name the spec, the key and the value. {@link Strategies} parses strategies with it.
 *
 * @param text   the spec as given
 * @param what   what the spec names, for errors ("strategy")
 * @param name   the name, lower case
 * @param params key (lower case) to value, in the order given
 */
public record SpecText(String text, String what, String name, Map<String, String> params) {
    /** Copies the settings. */
    public SpecText {
        params = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /**
     * Splits {@code NAME[:key=value,...]}; keys are checked by the caller.
     *
     * @param text the spec
     * @param what what it names, for errors ("strategy")
     * @return the parts
     */
    public static SpecText parse(String text, String what) {
        String s = text.strip();
        int colon = s.indexOf(':');
        String name = (colon < 0 ? s : s.substring(0, colon)).strip().toLowerCase(Locale.ROOT);
        String list = colon < 0 ? "" : s.substring(colon + 1);
        return new SpecText(text, what, name, settings(text, what, list, java.util.List.of()));
    }

    /**
     * The grammar's settings, {@code key=value,...}: the one parser of every spec (strategies, model
     * kinds, the ONNX providers). Keys are lower-cased; a key given twice is refused, naming the key
     * and the spec; a bare word is {@code word=true} when it is one of {@code flags}.
     *
     * @param text  the whole spec, for errors
     * @param what  what the spec names, for errors ("strategy", "model")
     * @param list  the text after {@code NAME:} (or after {@code NAME:PATH,}); "" for none
     * @param flags bare words that stand for {@code word=true}
     * @return key to value, in the order given
     */
    public static Map<String, String> settings(String text, String what, String list, java.util.Collection<String> flags) {
        Map<String, String> params = new LinkedHashMap<>();
        if (list.isBlank()) return params;
        for (String part : list.split(",", -1)) {
            if (flags.contains(part.strip().toLowerCase(Locale.ROOT))) part = part.strip() + "=true";
            int eq = part.indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(what + " " + text + ": expected key=value, got '" + part + "'");
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            if (params.put(key, part.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException(what + " " + text + ": setting '" + key + "' given twice");
            }
        }
        return params;
    }

    /**
     * The one integer parser of the grammar: {@code value} as an integer in [min, max]; a value out of
     * range or too large for a long is refused naming the spec, the key and the range.
     */
    public static long integer(String text, String what, String key, String value, long min, long max) {
        long x;
        try {
            x = Long.parseLong(value.strip());
        } catch (NumberFormatException e) {
            boolean digits = value.strip().matches("[+-]?\\d+");
            throw new IllegalArgumentException(what + " " + text + ": " + key + " must be an integer"
                    + (digits ? " in [" + min + ", " + max + "]" : "") + ", got '" + value + "'");
        }
        if (x < min || x > max) throw new IllegalArgumentException(what + " " + text + ": " + key + " must be in [" + min + ", " + max + "], got " + x);
        return x;
    }

    /** The one real-number parser of the grammar: {@code value} as a finite number, refused naming the spec and the key. */
    public static double real(String text, String what, String key, String value) {
        double x;
        try {
            x = Double.parseDouble(value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " " + text + ": " + key + " must be a number, got '" + value + "'");
        }
        if (!Double.isFinite(x)) throw new IllegalArgumentException(what + " " + text + ": " + key + " must be finite, got " + value);
        return x;
    }

    /** {@return whether the setting was given} */
    public boolean has(String key) {
        return params.containsKey(key);
    }

    /** {@return the setting's text, or {@code dflt}} */
    public String string(String key, String dflt) {
        return params.getOrDefault(key, dflt);
    }

    /** {@return the setting as a finite real number, or {@code dflt}} */
    public double number(String key, double dflt) {
        return has(key) ? real(text, what, key, params.get(key)) : dflt;
    }

    /** {@return the setting as an int, or {@code dflt}} */
    public int integer(String key, int dflt) {
        return integer(key, dflt, Integer.MIN_VALUE, Integer.MAX_VALUE);
    }

    /** {@return the setting as an integer in [min, max], or {@code dflt}} */
    public int integer(String key, int dflt, int min, int max) {
        return has(key) ? (int) integer(text, what, key, params.get(key), min, max) : dflt;
    }

    /** {@return the setting as a long integer, or {@code dflt}} */
    public long longInteger(String key, long dflt) {
        return has(key) ? integer(text, what, key, params.get(key), Long.MIN_VALUE, Long.MAX_VALUE) : dflt;
    }

    /** {@return the setting as true/on or false/off, or {@code dflt}} */
    public boolean bool(String key, boolean dflt) {
        if (!has(key)) return dflt;
        String v = params.get(key).toLowerCase(Locale.ROOT);
        if (v.equals("true") || v.equals("on")) return true;
        if (v.equals("false") || v.equals("off")) return false;
        throw new IllegalArgumentException(what + " " + text + ": " + key + " must be true or false, got '" + params.get(key) + "'");
    }

    /** {@return the spec in the grammar, {@code NAME[:key=value,...]}, from the parts} */
    public String canonical() {
        if (params.isEmpty()) return name;
        StringBuilder sb = new StringBuilder(name).append(':');
        String sep = "";
        for (Map.Entry<String, String> e : params.entrySet()) {
            sb.append(sep).append(e.getKey()).append('=').append(e.getValue());
            sep = ",";
        }
        return sb.toString();
    }
}
