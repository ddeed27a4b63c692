package io.autospec.onnx;

import io.autospec.ar.ConditionalOracle;
import io.autospec.models.ModelProvider;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * {@code onnx:PATH[,mask=ID][,n=N][,q=Q][,input=NAME][,output=NAME][,max-rows=R][,chunk=C][,evaluator=E]} on the
 * command line (found by {@link io.autospec.models.ModelSpec} through {@link java.util.ServiceLoader}).
 * The network runs with {@code --threads} intra-op threads on the evaluator that {@code evaluator=}
 * (auto, onnxruntime, host, cuda) and {@code --backend} choose (see {@link Network}).
 */
public final class OnnxModelProvider implements ModelProvider {
    @Override
    public String kind() {
        return "onnx";
    }

    @Override
    public String syntax() {
        return "onnx:PATH[,mask=ID,n=N,q=Q,input=NAME,output=NAME,max-rows=R,chunk=C,evaluator=E]";
    }

    @Override
    public String help() {
        return "an any-order AR network in ONNX (onnx/README.md), e.g. onnx:onnx/models/digits.onnx";
    }

    @Override
    public String group() {
        return "learned";
    }

    @Override
    public ConditionalOracle autoregressive(String argument, Integer n, Context context) {
        return OnnxOracle.open(path("onnx", argument), options(argument, n, context));
    }

    /** The model file of {@code KIND:PATH[,key=value...]}. */
    static Path path(String kind, String argument) {
        String first = argument.split(",", -1)[0];
        if (first.isBlank()) throw new IllegalArgumentException("--model " + kind + ":" + argument + ": expected " + kind + ":PATH[,key=value...]");
        return Path.of(first.strip());
    }

    /** The options of {@code onnx:PATH,key=value...} with the run's n, threads and backend. */
    static OnnxOracle.Options options(String argument, Integer n, Context context) {
        String spec = "--model onnx:" + argument;
        String[] parts = argument.split(",", -1);
        OnnxOracle.Options o = OnnxOracle.Options.defaults().withThreads(context.threads()).withN(n).withBackend(context.backend());
        for (Map.Entry<String, String> e : keys(spec, "onnx", parts, KEYS).entrySet()) {
            String key = e.getKey(), value = e.getValue();
            switch (key) {
                case "mask" -> o = o.withMask(number(spec, key, value));
                case "n" -> {
                    int v = (int) number(spec, key, value);
                    if (n != null && n != v) throw new IllegalArgumentException(spec + ": n=" + v + " disagrees with --n " + n);
                    o = o.withN(v);
                }
                case "q" -> o = o.withQ((int) number(spec, key, value));
                case "input" -> o = o.withInput(value);
                case "output" -> o = o.withOutput(value);
                case "max-rows" -> o = o.withMaxRowsPerRun((int) number(spec, key, value));
                case "chunk" -> o = o.withChunk(chunk(spec, value));
                case "evaluator" -> o = o.withEvaluator(Network.Choice.parse(spec, value).name().toLowerCase(Locale.ROOT));
                default -> throw new IllegalStateException(key);
            }
        }
        return o;
    }

    private static final List<String> KEYS = List.of("mask", "n", "q", "input", "output", "max-rows", "chunk", "evaluator");

    /**
     * The spec's key=value parts after the path, in order: an unknown key, a part without '=' or a key
     * given twice is refused naming it.
     */
    static Map<String, String> keys(String spec, String kind, String[] parts, List<String> known) {
        Map<String, String> keys = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            int eq = parts[i].indexOf('=');
            if (eq <= 0) throw new IllegalArgumentException(spec + ": expected key=value, got '" + parts[i] + "'");
            String key = parts[i].substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String value = parts[i].substring(eq + 1).strip();
            if (!known.contains(key)) {
                throw new IllegalArgumentException(spec + ": " + kind + " has no parameter '" + key + "' (it takes: " + String.join(", ", known) + ")");
            }
            if (keys.put(key, value) != null) throw new IllegalArgumentException(spec + ": " + key + " is given twice");
        }
        return keys;
    }

    /** chunk=C: rows of every run call, 0 for variable batches (not batch-invariant). */
    static int chunk(String spec, String value) {
        try {
            int v = Integer.parseInt(value);
            if (v < 0) throw new IllegalArgumentException(spec + ": chunk must be >= 0 (0: variable batches), got " + value);
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": chunk must be an integer, got '" + value + "'");
        }
    }

    static long number(String spec, String key, String value) {
        try {
            long v = Long.parseLong(value);
            if (!key.equals("mask") && (v < 1 || v > Integer.MAX_VALUE)) {
                throw new IllegalArgumentException(spec + ": " + key + " must be a positive integer, got " + value);
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(spec + ": " + key + " must be an integer, got '" + value + "'");
        }
    }
}
