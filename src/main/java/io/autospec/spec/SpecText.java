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
        Map<String, String> params = new LinkedHashMap<>();
        if (colon >= 0 && colon + 1 < s.length()) {
            for (String part : s.substring(colon + 1).split(",")) {
                int eq = part.indexOf('=');
                if (eq <= 0) throw new IllegalArgumentException(what + " " + text + ": expected key=value, got '" + part + "'");
                String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                if (params.put(key, part.substring(eq + 1).strip()) != null) {
                    throw new IllegalArgumentException(what + " " + text + ": setting '" + key + "' given twice");
                }
            }
        }
        return new SpecText(text, what, name, params);
    }

    /** {@return whether the setting was given} */
    public boolean has(String key) {
        return params.containsKey(key);
    }

    /** {@return the setting's text, or {@code dflt}} */
    public String string(String key, String dflt) {
        return params.getOrDefault(key, dflt);
    }

    /** {@return the setting as a real number, or {@code dflt}} */
    public double number(String key, double dflt) {
        if (!has(key)) return dflt;
        try {
            return Double.parseDouble(params.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " " + text + ": " + key + " must be a number, got '" + params.get(key) + "'");
        }
    }

    /** {@return the setting as an integer, or {@code dflt}} */
    public int integer(String key, int dflt) {
        if (!has(key)) return dflt;
        try {
            return Integer.parseInt(params.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " " + text + ": " + key + " must be an integer, got '" + params.get(key) + "'");
        }
    }

    /** {@return the setting as a long integer, or {@code dflt}} */
    public long longInteger(String key, long dflt) {
        if (!has(key)) return dflt;
        try {
            return Long.parseLong(params.get(key));
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(what + " " + text + ": " + key + " must be an integer, got '" + params.get(key) + "'");
        }
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
