package io.autospec.models;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import java.util.List;
import java.util.Map;

/**
 * A model kind, found with {@link java.util.ServiceLoader} (a line in
 * {@code META-INF/services/io.autospec.models.ModelProvider}): the library's own kinds
 * ({@link BuiltInModels}, {@link DeterminantalModels}) are registered like those of other modules
 * (e.g. {@code onnx:PATH} from autospec-onnx, which the library needs none of the dependencies of).
 * Each declares its syntax and help line once; {@link ModelSpec#parse} dispatches on the kind and
 * {@link ModelSpec#help()} lists them for every front end. A kind with {@code key=value} parameters
 * extends {@link KeyedModelProvider}, which declares its keys and parses them.
 */
public interface ModelProvider {

    /** The kind before the colon, lower case, e.g. "onnx". */
    String kind();

    /** The spec's syntax for help texts, e.g. "onnx:PATH[,mask=ID]". */
    String syntax();

    /** {@return every form of the spec, one per help line (default: {@link #syntax()})} */
    default List<String> syntaxes() {
        return List.of(syntax());
    }

    /** {@return one short line of help: what the model is (default: none)} */
    default String help() {
        return "";
    }

    /** {@return the help group: "AR", "determinantal", "diffusion", "learned" or a new one (default: by {@link #diffusion()})} */
    default String group() {
        return diffusion() ? "diffusion" : "AR";
    }

    /** {@return whether the kind names a diffusion model (opened with {@link #denoiser}); default false} */
    default boolean diffusion() {
        return false;
    }

    /**
     * Parses and checks the text after "KIND:" before anything is built (bad input: a
     * {@link ModelSpecException} naming the spec). The default keeps the text as it is, for the
     * provider to read when it opens the model.
     *
     * @param text     the whole spec, for errors
     * @param argument the text after the colon ("" when none)
     * @return the parsed spec
     */
    default ModelArgs parse(String text, String argument) {
        return new ModelArgs(text, kind(), argument, null, Map.of());
    }

    /**
     * Opens the AR model of a parsed spec. {@code n} is the user's {@code --n} or null. Bad input: an
     * {@link IllegalArgumentException} naming the offending part. The caller closes the oracle when it
     * is {@link AutoCloseable}. A diffusion kind refuses (the default).
     */
    default ConditionalOracle autoregressive(ModelArgs args, Integer n, Context context) {
        throw new ModelSpecException("model " + args.text() + " is a diffusion model");
    }

    /**
     * Opens the diffusion model of a parsed spec, for a kind whose {@link #diffusion()} is true. Bad
     * input: an {@link IllegalArgumentException} naming the offending part. The caller closes the
     * denoiser when it is {@link AutoCloseable}. An AR kind refuses (the default).
     */
    default Denoiser denoiser(ModelArgs args, Context context) {
        throw new ModelSpecException("model " + args.text() + " is an AR model");
    }

    /** {@return whether the model fixes its length itself, so a run needs no --n (default true: the provider's model reads --n itself)} */
    default boolean fixesLength(ModelArgs args) {
        return true;
    }

    /** {@return outputs per query (q for AR, d for diffusion) as the spec fixes them; 0 when a file decides (default 0)} */
    default int width(ModelArgs args) {
        return 0;
    }

    /**
     * What the model takes in memory, for the check {@code sample}, {@code bench} and Spark make before
     * a run: asked with {@code model} null before it is built (from the spec and {@code n} alone), then
     * with the built model (its oracle or denoiser) when its sizes come from a file or a network.
     *
     * @param args  the parsed spec
     * @param n     the user's length, or null
     * @param model the built oracle or denoiser, or null before it is built
     * @return its memory ({@link ModelMemory#NONE} when small or not known)
     */
    ModelMemory memory(ModelArgs args, Integer n, Object model);

    /** {@return what the run report says about the built model beyond its sizes, e.g. which evaluator runs a network (default none)} */
    default Map<String, Object> report(ModelArgs args, Object model) {
        return Map.of();
    }

    /**
     * {@return every existing file the model named by {@code argument} reads, sidecars and external
     * data included}: outputs are checked against these before a run, so none overwrites an input.
     * The default is every comma-separated part of the argument, and every value of a key=value part,
     * that names an existing regular file; a kind that reads more (an ONNX model's external weights,
     * a vocabulary beside it) adds those.
     */
    default java.util.List<java.nio.file.Path> inputFiles(String argument) {
        return namedFiles(argument);
    }

    /** The existing regular files that {@code argument}, a part of it or a value in it names (see {@link #inputFiles}). */
    static java.util.List<java.nio.file.Path> namedFiles(String argument) {
        java.util.List<java.nio.file.Path> files = new java.util.ArrayList<>();
        if (argument == null) return files;
        java.util.List<String> candidates = new java.util.ArrayList<>();
        candidates.add(argument.strip());
        for (String part : argument.split(",")) {
            candidates.add(part.strip());
            int eq = part.indexOf('=');
            if (eq > 0) candidates.add(part.substring(eq + 1).strip());
        }
        for (String c : candidates) {
            if (c.isEmpty()) continue;
            try {
                java.nio.file.Path p = java.nio.file.Path.of(c);
                if (java.nio.file.Files.isRegularFile(p) && !files.contains(p)) files.add(p);
            } catch (java.nio.file.InvalidPathException e) {
                // not a file name
            }
        }
        return files;
    }

    /** What a provider may need from the run: CPU threads (0 = all processors) and the backend asked for. */
    record Context(int threads, String backend) {
        public static Context defaults() {
            return new Context(0, "auto");
        }
    }
}
