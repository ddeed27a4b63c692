package io.autospec.models;

import io.autospec.ar.ConditionalOracle;

/**
 * A model kind contributed by another module, found with {@link java.util.ServiceLoader} (so the
 * library needs none of that module's dependencies): e.g. {@code onnx:PATH} from autospec-onnx.
 * {@link ModelSpec#parse} consults providers for kinds it does not know itself.
 */
public interface ModelProvider {

    /** The kind before the colon, lower case, e.g. "onnx". */
    String kind();

    /** The spec's syntax for help texts, e.g. "onnx:PATH[,mask=ID]". */
    String syntax();

    /**
     * Opens the model named by {@code argument} (the text after "KIND:"). {@code n} is the user's
     * {@code --n} or null. Bad input: an {@link IllegalArgumentException} naming the offending part.
     * The caller closes the oracle when it is {@link AutoCloseable}.
     */
    ConditionalOracle autoregressive(String argument, Integer n, Context context);

    /** {@return whether the kind names a diffusion model (opened with {@link #denoiser}); default false} */
    default boolean diffusion() {
        return false;
    }

    /**
     * Opens the diffusion model named by {@code argument} (the text after "KIND:"), for a kind whose
     * {@link #diffusion()} is true. Bad input: an {@link IllegalArgumentException} naming the offending
     * part. The caller closes the denoiser when it is {@link AutoCloseable}.
     */
    default io.autospec.diffusion.Denoiser denoiser(String argument, Context context) {
        throw new IllegalArgumentException(kind() + " is not a diffusion model");
    }

    /** What a provider may need from the run: CPU threads (0 = all processors) and the backend asked for. */
    record Context(int threads, String backend) {
        public static Context defaults() {
            return new Context(0, "auto");
        }
    }
}
