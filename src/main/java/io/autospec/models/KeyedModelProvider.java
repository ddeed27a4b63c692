package io.autospec.models;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A {@link ModelProvider} whose specs are {@code KIND:key=value,...} (and, where {@link #takesPath()},
 * {@code KIND:PATH}): its keys are declared once ({@link #keys()}), parsed and checked here (unknown
 * key, key given twice, {@code key=value} expected: a {@link ModelSpecException} naming the spec);
 * the model is built from the parsed {@link ModelArgs}.
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
    public boolean fixesLength() {
        return false;
    }

    /**
     * Parses the text after {@code KIND:}.
     *
     * @param text     the whole spec, for errors
     * @param argument the text after the colon ("" when none)
     * @return the parsed spec
     */
    public ModelArgs parse(String text, String argument) {
        String kind = kind();
        if (takesPath() && !argument.isEmpty() && !argument.contains("=")) {
            return new ModelArgs(text, kind, Path.of(argument), Map.of());
        }
        if (keys().isEmpty()) throw new ModelSpecException("model " + text + ": " + kind + " needs a file, as " + kind + ":PATH");
        Map<String, String> params = ModelSpec.settings(text, argument, flags());
        for (String key : params.keySet()) {
            if (!keys().contains(key)) {
                throw new ModelSpecException("model " + text + ": " + kind + " has no parameter '" + key + "' (it takes: "
                        + String.join(", ", keys()) + ")");
            }
        }
        return new ModelArgs(text, kind, null, params);
    }

    /** The AR model of a parsed spec ({@code n}: the user's length or null); a diffusion kind refuses. */
    public ConditionalOracle autoregressive(ModelArgs args, Integer n) {
        throw new ModelSpecException("model " + args.text() + " is a diffusion model");
    }

    /** The denoiser of a parsed spec; an AR kind refuses. */
    public Denoiser denoiser(ModelArgs args) {
        throw new ModelSpecException("model " + args.text() + " is an AR model");
    }

    /** {@return outputs per query (q for AR, d for diffusion); 0 when a file decides (default 0)} */
    public int width(ModelArgs args) {
        return 0;
    }

    /** {@return bytes of the tables the model allocates with {@code n} positions, 0 when small or unknown (default 0)} */
    public long tableBytes(ModelArgs args, Integer n) {
        return 0;
    }

    @Override
    public final ConditionalOracle autoregressive(String argument, Integer n, Context context) {
        String text = kind() + ":" + argument;
        return autoregressive(parse(text, argument), n);
    }

    @Override
    public final Denoiser denoiser(String argument, Context context) {
        String text = kind() + ":" + argument;
        return denoiser(parse(text, argument));
    }
}
