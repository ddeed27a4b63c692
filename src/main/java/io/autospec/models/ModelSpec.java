package io.autospec.models;

import io.autospec.spec.SpecText;

import io.autospec.ar.ConditionalOracle;
import io.autospec.diffusion.Denoiser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * A model named on the command line: {@code KIND:key=value,...} or {@code KIND:PATH}.
 * <pre>
 * AR:        product:q=3[,seed=S]          markov:q=2,stay=0.9      potts:q=5,stay=0.6
 *            curie-weiss:beta=0.8[,h=0]   parity:constraints=C[,seed=S]   table:PATH
 *            ltr-markov:q=2,stay=0.999 (the markov chain in the forced order 0, 1, ..., n-1)
 * determinantal (n fixed by the model): dpp:PATH | dpp:random,n=N,rank=R[,seed=S]
 *            dpp:points=FILE[,kernel=gaussian,bandwidth=B] | dpp:random-points,n=N[,bandwidth=B,seed=S]
 *            ust:PATH | ust:grid=WxH      aztec:order=M
 * diffusion: gmm:PATH | gmm:k=4,d=2[,seed=S]   atoms:PATH | atoms:k=64,d=2[,seed=S]   box:d=16[,lo=-1,hi=1]
 *            gaussian:d=4[,mean=0,variance=1]
 * </pre>
 * Every kind is a {@link ModelProvider} found through {@link java.util.ServiceLoader}: the library's
 * own ({@link BuiltInModels}) and other modules' (e.g. {@code onnx:PATH} from autospec-onnx) alike;
 * {@link #help()} lists them for every front end.
 */
public final class ModelSpec {
    private static volatile Map<String, ModelProvider> registry;

    private final String text;
    private final ModelProvider provider;
    private final ModelArgs args;

    private ModelSpec(String text, ModelProvider provider, ModelArgs args) {
        this.text = text;
        this.provider = provider;
        this.args = args;
    }

    /** {@return the model providers by kind, in registration order (the library's own first)} */
    public static Map<String, ModelProvider> providers() {
        Map<String, ModelProvider> r = registry;
        if (r == null) {
            Map<String, ModelProvider> m = new LinkedHashMap<>();
            for (ModelProvider p : java.util.ServiceLoader.load(ModelProvider.class, ModelSpec.class.getClassLoader())) {
                m.putIfAbsent(p.kind(), p);
            }
            registry = r = java.util.Collections.unmodifiableMap(m);
        }
        return r;
    }

    /** {@return all model kinds, for help texts (those of providers on the class path included)} */
    public static List<String> kinds() {
        return List.copyOf(providers().keySet());
    }

    /** The help groups, in the order {@link #help()} lists them, with their headings. */
    private static final Map<String, String> GROUPS = new LinkedHashMap<>();

    static {
        GROUPS.put("AR", "AR models (need --n):");
        GROUPS.put("determinantal", "Determinantal (n fixed by the model):");
        GROUPS.put("diffusion", "Diffusion models (use --steps/--delta/--schedule):");
        GROUPS.put("learned", "Learned models:");
    }

    /**
     * The model list for help texts and the README, from the registry: a heading per group, then
     * one line per spec form, its help line beside (or under) the last form; no line but a long spec is longer than 99
     * characters, so no front end (usage width 100) wraps a spec.
     *
     * @return the lines
     */
    public static List<String> help() {
        List<String> lines = new java.util.ArrayList<>();
        List<String> groups = new java.util.ArrayList<>(GROUPS.keySet());
        for (ModelProvider p : providers().values()) if (!groups.contains(p.group())) groups.add(p.group());
        for (String g : groups) {
            boolean first = true;
            for (ModelProvider p : providers().values()) {
                if (!p.group().equals(g)) continue;
                if (first) lines.add(GROUPS.getOrDefault(g, g + " models:"));
                first = false;
                List<String> forms = p.syntaxes();
                for (int i = 0; i < forms.size(); i++) {
                    String line = "  " + forms.get(i);
                    if (i == forms.size() - 1 && !p.help().isEmpty()) {
                        String padded = String.format(Locale.ROOT, "%-36s %s", line, p.help());
                        if (padded.length() <= 99) line = padded;
                        else {
                            lines.add(line);
                            line = "      " + p.help();
                        }
                    }
                    lines.add(line);
                }
            }
        }
        return lines;
    }

    /** Parses a spec; errors name the offending part. */
    public static ModelSpec parse(String text) {
        String s = text.strip();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1);
        ModelProvider p = providers().get(kind);
        if (p == null) {
            throw new ModelSpecException("unknown model '" + kind + "' in --model " + text + " (known: " + String.join(", ", kinds()) + ")");
        }
        return new ModelSpec(text, p, p.parse(text, rest));
    }

    /** {@return the model kind, e.g. "markov" or "atoms"} */
    public String kind() {
        return provider.kind();
    }

    /** {@return the provider of this kind} */
    public ModelProvider provider() {
        return provider;
    }

    /** {@return the parsed spec, as the provider read it} */
    public ModelArgs args() {
        return args;
    }

    /** {@return whether the spec names a diffusion model (else an AR model)} */
    public boolean isDiffusion() {
        return provider.diffusion();
    }

    /** {@return whether the model fixes n itself (a table file; a provider's model reads --n itself)} */
    public boolean fixesLength() {
        return provider.fixesLength(args);
    }

    /** {@return every existing file this model reads (see {@link ModelProvider#inputFiles})} */
    public List<java.nio.file.Path> inputFiles() {
        return provider.inputFiles(args.argument());
    }

    @Override
    public String toString() {
        return text;
    }

    /** {@return the AR oracle; {@code n} is required unless the model fixes it} */
    public ConditionalOracle autoregressive(Integer n) {
        return autoregressive(n, ModelProvider.Context.defaults());
    }

    /**
     * The AR oracle, with what a provider's model may need from the run. The caller closes it when
     * it is {@link AutoCloseable} (a provider's model may own native resources).
     */
    public ConditionalOracle autoregressive(Integer n, ModelProvider.Context context) {
        return provider.autoregressive(args, n, context);
    }

    /** {@return the diffusion model's denoiser} */
    public Denoiser denoiser() {
        return denoiser(ModelProvider.Context.defaults());
    }

    /**
     * The diffusion model's denoiser, with what a provider's model may need from the run. The caller
     * closes it when it is {@link AutoCloseable} (a provider's model may own native resources).
     */
    public Denoiser denoiser(ModelProvider.Context context) {
        return provider.denoiser(args, context);
    }

    /** Outputs per query: q for an AR model, d for a diffusion model; 0 when a file decides. */
    public int width() {
        return provider.width(args);
    }

    /**
     * What the model takes in memory ({@link ModelProvider#memory}): before it is built ({@code model}
     * null) or once built, for the check a run makes first.
     */
    public ModelMemory memory(Integer n, Object model) {
        return provider.memory(args, n, model);
    }

    /** Reads a model file (see {@link #readFile}). */
    public interface FileReader<T> {
        /** {@return what was read} @throws IOException when it cannot be read */
        T read() throws IOException;
    }

    /**
     * Reads a model file; a file that cannot be read, or is not UTF-8 text (a binary file given by
     * mistake), is a {@link ModelSpecException} naming the file.
     */
    static <T> T readFile(Path file, FileReader<T> r) {
        try {
            return r.read();
        } catch (IOException e) {
            throw unreadable(file, e);
        } catch (UncheckedIOException e) {
            throw unreadable(file, e.getCause());
        }
    }

    private static ModelSpecException unreadable(Path file, IOException e) {
        if (e instanceof java.nio.charset.CharacterCodingException) {
            return new ModelSpecException("model file " + file + " is not UTF-8 text (a binary file?): expected CSV lines", e);
        }
        String why = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e.getMessage() == null ? e.toString() : e.getMessage();
        return new ModelSpecException("cannot read model file " + file + ": " + why, e);
    }

    static Path existing(Path p) {
        if (!Files.isRegularFile(p)) throw new ModelSpecException("model file not found: " + p);
        return p;
    }


    /**
     * The settings of a model spec in the grammar's one parser ({@link SpecText#settings}): a key given
     * twice, or a part that is not {@code key=value}, is a {@link ModelSpecException} naming the spec.
     *
     * @param text     the whole spec
     * @param list     the settings' text ({@code key=value,...})
     * @param flags    bare words that stand for {@code word=true}
     * @return key to value, in the order given
     */
    public static Map<String, String> settings(String text, String list, java.util.Collection<String> flags) {
        try {
            return SpecText.settings(text, WHAT, list, flags);
        } catch (IllegalArgumentException e) {
            throw new ModelSpecException(e.getMessage(), e);
        }
    }

    /** What errors call a model spec: "model markov:q=0: ...". */
    static final String WHAT = "model";

    /** An integer parameter of a model spec, in [min, max]; the error names the spec, the key and the value. */
    public static long integer(String text, String key, String value, long min, long max) {
        try {
            return SpecText.integer(text, WHAT, key, value, min, max);
        } catch (IllegalArgumentException e) {
            throw new ModelSpecException(e.getMessage(), e);
        }
    }

    static int integer(String text, Map<String, String> params, String key, int min, int max) {
        return (int) integer(text, key, params.get(key), min, max);
    }

    /** A finite real parameter of a model spec; the error names the spec, the key and the value. */
    public static double real(String text, String key, String value) {
        try {
            return SpecText.real(text, WHAT, key, value);
        } catch (IllegalArgumentException e) {
            throw new ModelSpecException(e.getMessage(), e);
        }
    }

    static double real(String text, Map<String, String> params, String key) {
        return real(text, key, params.get(key));
    }
}
