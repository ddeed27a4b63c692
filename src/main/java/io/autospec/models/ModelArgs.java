package io.autospec.models;

import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * A parsed model spec ({@link ModelProvider#parse}): the spec as given, its kind, the text after the
 * colon, the file of a {@code KIND:PATH} spec (or null) and its {@code key=value} parameters in the
 * order given, with typed getters whose errors ({@link ModelSpecException}) name the spec, the key
 * and the value.
 *
 * @param text     the spec as given
 * @param kind     the kind, lower case
 * @param argument the text after "KIND:" ("" when none), for a provider that reads it itself
 * @param path     the file of {@code KIND:PATH}, or null
 * @param params key to value, in the order given
 */
public record ModelArgs(String text, String kind, String argument, Path path, Map<String, String> params) {
    /** Copies the parameters. */
    public ModelArgs {
        params = Collections.unmodifiableMap(new LinkedHashMap<>(params));
    }

    /** {@return whether the parameter was given} */
    public boolean has(String key) {
        return params.containsKey(key);
    }

    /** {@return an integer parameter in [min, max], or {@code dflt} when absent} */
    public int integer(String key, int dflt, int min, int max) {
        return params.containsKey(key) ? ModelSpec.integer(text, params, key, min, max) : dflt;
    }

    /** {@return a long integer parameter, or {@code dflt} when absent} */
    public long longValue(String key, long dflt) {
        String v = params.get(key);
        return v == null ? dflt : ModelSpec.integer(text, key, v, Long.MIN_VALUE, Long.MAX_VALUE);
    }

    /** {@return a finite real parameter, or {@code dflt} when absent} */
    public double real(String key, double dflt) {
        return params.get(key) == null ? dflt : ModelSpec.real(text, params, key);
    }

    /** {@return a real parameter in [0, 1], or {@code dflt} when absent} */
    public double probability(String key, double dflt) {
        double x = real(key, dflt);
        if (x < 0 || x > 1) throw fail(key + " must be in [0, 1], got " + x);
        return x;
    }

    /** {@return an error naming the spec: "model SPEC: why"} */
    public ModelSpecException fail(String why) {
        return new ModelSpecException("model " + text + ": " + why);
    }

    /** Reads the spec's file with {@code r}; a missing, unreadable or binary file is an error naming it. */
    public <T> T read(ModelSpec.FileReader<T> r) {
        ModelSpec.existing(path);
        return ModelSpec.readFile(path, r);
    }

    /** {@return {@code n}, required (an AR model whose length the user gives)} */
    public int requireN(Integer n) {
        if (n == null) throw new ModelSpecException("model " + text + " needs a length n");
        if (n < 1) throw new IllegalArgumentException("n must be >= 1, got " + n);
        return n;
    }

    /** Checks that the user's {@code n}, when given, is the model's {@code length}, {@code source} naming what fixed it. */
    public void checkN(Integer n, int length, String source) {
        if (n != null && n != length) {
            throw new ModelSpecException("n = " + n + " disagrees with " + source + ", which has n = " + length);
        }
    }

    /** Runs a constructor; its refusal ("beta must be in ...") becomes an error naming the spec. */
    public <T> T build(java.util.function.Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (ModelSpecException e) {
            throw e;
        } catch (IllegalArgumentException e) {
            if (String.valueOf(e.getMessage()).startsWith(ModelSpec.WHAT + " ")) throw e;
            throw new ModelSpecException("model " + text + ": " + e.getMessage(), e);
        }
    }
}
