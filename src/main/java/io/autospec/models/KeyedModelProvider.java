package io.autospec.models;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A {@link ModelProvider} whose specs are {@code KIND:key=value,...} (and, where {@link #takesPath()},
 * {@code KIND:PATH}): its keys are declared once ({@link #keys()}), parsed and checked here (unknown
 * key, key given twice, {@code key=value} expected: a {@link ModelSpecException} naming the spec);
 * the model is built from the parsed {@link ModelArgs}. Every kind says what it takes in memory
 * ({@link #memory}).
 */
public abstract class KeyedModelProvider implements ModelProvider {

    /** {@return the parameters it accepts, in the order help lists them} */
    public abstract List<String> keys();

    /** {@return whether {@code KIND:PATH} names a file (default false)} */
    public boolean takesPath() {
        return false;
    }

    /** {@return bare words that stand for {@code word=true}, e.g. dpp's "random" (default none)} */
    public List<String> flags() {
        return List.of();
    }

    /** {@return whether the model fixes its length itself (default false: it needs --n)} */
    @Override
    public boolean fixesLength(ModelArgs args) {
        return false;
    }

    /**
     * Parses the text after {@code KIND:}.
     *
     * @param text     the whole spec, for errors
     * @param argument the text after the colon ("" when none)
     * @return the parsed spec
     */
    @Override
    public ModelArgs parse(String text, String argument) {
        String kind = kind();
        if (takesPath() && !argument.isEmpty() && !argument.contains("=")) {
            return new ModelArgs(text, kind, argument, Path.of(argument), Map.of());
        }
        if (keys().isEmpty()) throw new ModelSpecException("model " + text + ": " + kind + " needs a file, as " + kind + ":PATH");
        Map<String, String> params = ModelSpec.settings(text, argument, flags());
        for (String key : params.keySet()) {
            if (!keys().contains(key)) {
                throw new ModelSpecException("model " + text + ": " + kind + " has no parameter '" + key + "' (it takes: "
                        + String.join(", ", keys()) + ")");
            }
        }
        return new ModelArgs(text, kind, argument, null, params);
    }

    /** The AR model of a parsed spec ({@code n}: the user's length or null); a diffusion kind refuses. */
    public ConditionalOracle autoregressive(ModelArgs args, Integer n) {
        throw new ModelSpecException("model " + args.text() + " is a diffusion model");
    }

    /** The denoiser of a parsed spec; an AR kind refuses. */
    public Denoiser denoiser(ModelArgs args) {
        throw new ModelSpecException("model " + args.text() + " is an AR model");
    }

    @Override
    public final ConditionalOracle autoregressive(ModelArgs args, Integer n, Context context) {
        return autoregressive(args, n);
    }

    @Override
    public final Denoiser denoiser(ModelArgs args, Context context) {
        return denoiser(args);
    }
}
