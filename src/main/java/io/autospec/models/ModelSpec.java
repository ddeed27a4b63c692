package io.autospec.models;

import io.autospec.ar.ConditionalOracle;
import io.autospec.ar.models.CurieWeiss;
import io.autospec.ar.models.LeftToRight;
import io.autospec.ar.models.MarkovChain;
import io.autospec.ar.models.ParityOracle;
import io.autospec.ar.models.ProductOracle;
import io.autospec.ar.models.TableOracle;
import io.autospec.diffusion.Denoiser;
import io.autospec.diffusion.models.BoxUniform;
import io.autospec.diffusion.models.IsotropicMixture;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

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
 * Other modules add kinds through {@link ModelProvider} (e.g. {@code onnx:PATH} from autospec-onnx).
 */
public final class ModelSpec {
    /** Kinds, with the keys each accepts. */
    private static final Map<String, Set<String>> KEYS = new LinkedHashMap<>();

    static {
        KEYS.put("product", Set.of("q", "seed"));
        KEYS.put("markov", Set.of("q", "stay"));
        KEYS.put("potts", Set.of("q", "stay"));
        KEYS.put("curie-weiss", Set.of("beta", "h"));
        KEYS.put("parity", Set.of("constraints", "seed"));
        KEYS.put("ltr-markov", Set.of("q", "stay"));
        KEYS.put("table", Set.of());
        KEYS.put("dpp", Set.of("random", "n", "rank", "seed", "points", "random-points", "kernel", "bandwidth"));
        KEYS.put("ust", Set.of("grid"));
        KEYS.put("aztec", Set.of("order"));
        KEYS.put("gmm", Set.of("k", "d", "seed"));
        KEYS.put("atoms", Set.of("k", "d", "seed"));
        KEYS.put("box", Set.of("d", "lo", "hi"));
        KEYS.put("gaussian", Set.of("d", "mean", "variance"));
    }

    private static final Set<String> DIFFUSION = Set.of("gmm", "atoms", "box", "gaussian");
    private static final Set<String> PATH_KINDS = Set.of("table", "atoms", "gmm", "dpp", "ust");
    /** Determinantal kinds: they fix n themselves (see {@link DeterminantalModels}). */
    private static final Set<String> DETERMINANTAL = Set.of("dpp", "ust", "aztec");

    private final String text;
    private final String kind;
    private final Path path;
    private final Map<String, String> params;
    private final ModelProvider provider; // a kind from another module, or null
    private final String argument;        // the provider's text after "KIND:"

    private ModelSpec(String text, String kind, Path path, Map<String, String> params) {
        this(text, kind, path, params, null, null);
    }

    private ModelSpec(String text, String kind, Path path, Map<String, String> params, ModelProvider provider, String argument) {
        this.text = text;
        this.kind = kind;
        this.path = path;
        this.params = params;
        this.provider = provider;
        this.argument = argument;
    }

    /** {@return all model kinds, for help texts (those of providers on the class path included)} */
    public static List<String> kinds() {
        List<String> all = new java.util.ArrayList<>(KEYS.keySet());
        for (ModelProvider p : providers()) all.add(p.kind());
        return List.copyOf(all);
    }

    private static List<ModelProvider> providers() {
        List<ModelProvider> list = new java.util.ArrayList<>();
        java.util.ServiceLoader.load(ModelProvider.class, ModelSpec.class.getClassLoader()).forEach(list::add);
        return list;
    }

    /** Parses a spec; errors name the offending part. */
    public static ModelSpec parse(String text) {
        String s = text.strip();
        int colon = s.indexOf(':');
        String kind = (colon < 0 ? s : s.substring(0, colon)).toLowerCase(Locale.ROOT);
        String rest = colon < 0 ? "" : s.substring(colon + 1);
        if (!KEYS.containsKey(kind)) {
            for (ModelProvider p : providers()) {
                if (p.kind().equals(kind)) return new ModelSpec(text, kind, null, Map.of(), p, rest);
            }
            throw new ModelSpecException("unknown model '" + kind + "' in --model " + text + " (known: " + String.join(", ", kinds()) + ")");
        }
        if (PATH_KINDS.contains(kind) && !rest.isEmpty() && !rest.contains("=")) {
            return new ModelSpec(text, kind, Path.of(rest), Map.of());
        }
        if (kind.equals("table")) {
            throw new ModelSpecException("--model " + text + ": " + kind + " needs a file, as " + kind + ":PATH");
        }
        Map<String, String> params = new LinkedHashMap<>();
        if (!rest.isEmpty()) {
            for (String part : rest.split(",")) {
                if (kind.equals("dpp") && part.strip().equalsIgnoreCase("random")) part = "random=true"; // dpp:random,n=..,rank=..
                if (kind.equals("dpp") && part.strip().equalsIgnoreCase("random-points")) part = "random-points=true"; // dpp:random-points,n=..
                int eq = part.indexOf('=');
                if (eq <= 0) throw new ModelSpecException("--model " + text + ": expected key=value, got '" + part + "'");
                String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
                if (!KEYS.get(kind).contains(key)) {
                    throw new ModelSpecException("--model " + text + ": " + kind + " has no parameter '" + key + "' (it takes: "
                            + String.join(", ", KEYS.get(kind)) + ")");
                }
                if (params.put(key, part.substring(eq + 1).strip()) != null) {
                    throw new ModelSpecException("--model " + text + ": parameter '" + key + "' given twice");
                }
            }
        }
        return new ModelSpec(text, kind, null, params);
    }

    /** {@return the model kind, e.g. "markov" or "atoms"} */
    public String kind() {
        return kind;
    }

    /** {@return whether the spec names a diffusion model (else an AR model)} */
    public boolean isDiffusion() {
        return provider != null ? provider.diffusion() : DIFFUSION.contains(kind);
    }

    /** {@return whether the model fixes n itself (a table file; a provider's model reads --n itself)} */
    public boolean fixesLength() {
        return kind.equals("table") || provider != null || DETERMINANTAL.contains(kind);
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
        if (provider != null && !provider.diffusion()) return provider.autoregressive(argument, n, context);
        if (isDiffusion()) throw new ModelSpecException("--model " + text + " is a diffusion model");
        if (kind.equals("table")) {
            TableOracle t = readFile(path, () -> TableOracle.read(existing(path)));
            if (n != null && n != t.length()) {
                throw new ModelSpecException("--n " + n + " disagrees with " + path + ", which has n = " + t.length());
            }
            return t;
        }
        if (DETERMINANTAL.contains(kind)) {
            ConditionalOracle d = DeterminantalModels.oracle(text, kind, path, params);
            if (n != null && n != d.length()) {
                throw new ModelSpecException("--n " + n + " disagrees with --model " + text + ", which has n = " + d.length());
            }
            return d;
        }
        if (n == null) throw new ModelSpecException("--model " + text + " needs --n");
        if (n < 1) throw new IllegalArgumentException("--n must be >= 1, got " + n);
        try {
            return parametric(n);
        } catch (IllegalArgumentException e) {
            // a constructor's refusal ("beta must be in ...") names the spec it came from
            if (String.valueOf(e.getMessage()).startsWith("--model")) throw e;
            throw new ModelSpecException("--model " + text + ": " + e.getMessage(), e);
        }
    }

    private ConditionalOracle parametric(int n) {
        switch (kind) {
            case "product":
                return ProductOracle.random(n, integer("q", 2, 1, 1 << 20), longValue("seed", 1));
            case "markov":
                return MarkovChain.stay(n, integer("q", 2, 2, 1 << 12), probability("stay", 0.9));
            case "potts":
                return MarkovChain.stay(n, integer("q", 5, 2, 1 << 12), probability("stay", 0.6));
            case "curie-weiss":
                return new CurieWeiss(n, real("beta", 0.8), real("h", 0.0));
            case "parity":
                return ParityOracle.random(n, integer("constraints", Math.min(16, n), 0, 64), longValue("seed", 1));
            case "ltr-markov":
                return LeftToRight.stayChain(n, integer("q", 2, 2, 1 << 12), probability("stay", 0.999));
            default:
                throw new IllegalStateException(kind);
        }
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
        if (provider != null && provider.diffusion()) return provider.denoiser(argument, context);
        if (!isDiffusion()) throw new ModelSpecException("--model " + text + " is an AR model");
        switch (kind) {
            case "gmm":
                if (path != null) return readFile(path, () -> IsotropicMixture.readGmm(existing(path)));
                return IsotropicMixture.randomGmm(integer("k", 4, 1, 1 << 20), integer("d", 2, 1, 1 << 16), longValue("seed", 1));
            case "atoms":
                if (path != null) return readFile(path, () -> IsotropicMixture.readAtoms(existing(path)));
                return IsotropicMixture.randomAtoms(integer("k", 64, 1, 1 << 24), integer("d", 2, 1, 1 << 16), longValue("seed", 1));
            case "box": {
                double lo = real("lo", -1), hi = real("hi", 1);
                if (!(hi > lo)) throw new ModelSpecException("--model " + text + ": need lo < hi, got lo=" + lo + ", hi=" + hi);
                return new BoxUniform(integer("d", 16, 1, 1 << 16), lo, hi);
            }
            case "gaussian": {
                int d = integer("d", 2, 1, 1 << 16);
                double variance = real("variance", 1.0);
                if (!(variance > 0)) throw new ModelSpecException("--model " + text + ": variance must be > 0, got " + variance);
                double[] mean = new double[d];
                java.util.Arrays.fill(mean, real("mean", 0.0));
                return IsotropicMixture.gaussian(mean, variance);
            }
            default:
                throw new IllegalStateException(kind);
        }
    }

    /** Outputs per query: q for an AR model, d for a diffusion model; 0 when a file decides. */
    public int width() {
        switch (kind) {
            case "product": return integer("q", 2, 1, 1 << 20);
            case "markov": return integer("q", 2, 2, 1 << 12);
            case "potts": return integer("q", 5, 2, 1 << 12);
            case "curie-weiss": case "parity": return 2;
            case "gmm": case "atoms": return path != null ? 0 : integer("d", 2, 1, 1 << 16);
            case "box": return integer("d", 16, 1, 1 << 16);
            case "gaussian": return integer("d", 2, 1, 1 << 16);
            default: return 0;
        }
    }

    /**
     * Bytes of the tables this model allocates when built with {@code n} positions (0 when small or
     * unknown before reading a file): for the memory check a run makes before building it.
     */
    public long tableBytes(Integer n) {
        long len = n == null ? 0 : n;
        switch (kind) {
            case "product": {
                long q = integer("q", 2, 1, 1 << 20);
                return 2 * 8 * len * q + 16 * len; // the random rows, then the flat n x q copy
            }
            case "curie-weiss":
                return 16 * len;
            case "gmm":
            case "atoms":
                return path != null ? 0 : 16L * integer("k", kind.equals("gmm") ? 4 : 64, 1, 1 << 24) * integer("d", 2, 1, 1 << 16);
            default:
                return 0; // markov/potts (closed-form powers), parity, box, gaussian: O(n + q); table: read first
        }
    }

    interface FileReader<T> {
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

    private int integer(String key, int dflt, int min, int max) {
        return params.containsKey(key) ? integer(text, params, key, min, max) : dflt;
    }

    /** An integer parameter of a model spec, in [min, max]; the error names the spec, the key and the value. */
    static int integer(String text, Map<String, String> params, String key, int min, int max) {
        String v = params.get(key);
        int x;
        try {
            x = Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new ModelSpecException("--model " + text + ": " + key + " must be an integer, got '" + v + "'");
        }
        if (x < min || x > max) throw new ModelSpecException("--model " + text + ": " + key + " must be in [" + min + ", " + max + "], got " + x);
        return x;
    }

    private long longValue(String key, long dflt) {
        String v = params.get(key);
        if (v == null) return dflt;
        try {
            return Long.parseLong(v);
        } catch (NumberFormatException e) {
            throw new ModelSpecException("--model " + text + ": " + key + " must be an integer, got '" + v + "'");
        }
    }

    private double real(String key, double dflt) {
        return params.get(key) == null ? dflt : real(text, params, key);
    }

    /** A finite real parameter of a model spec; the error names the spec, the key and the value. */
    static double real(String text, Map<String, String> params, String key) {
        String v = params.get(key);
        double x;
        try {
            x = Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new ModelSpecException("--model " + text + ": " + key + " must be a number, got '" + v + "'");
        }
        if (!Double.isFinite(x)) throw new ModelSpecException("--model " + text + ": " + key + " must be finite, got " + v);
        return x;
    }

    private double probability(String key, double dflt) {
        double x = real(key, dflt);
        if (x < 0 || x > 1) throw new ModelSpecException("--model " + text + ": " + key + " must be in [0, 1], got " + x);
        return x;
    }

    private Path path() {
        return path;
    }

    /** The file (or null) and key=value parameters, for {@link DeterminantalModels}. */
    record Parts(Path path, Map<String, String> params) {}

    Parts parts() {
        return new Parts(path, params);
    }
}
