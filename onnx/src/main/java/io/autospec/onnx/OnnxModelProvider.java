package io.autospec.onnx;

import io.autospec.ar.ConditionalOracle;
import io.autospec.models.ModelArgs;
import io.autospec.models.ModelMemory;
import io.autospec.models.ModelProvider;
import io.autospec.models.ModelSpec;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
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

    /** The model file, its external-data files and its vocabulary sidecar: outputs must not overwrite any of them. */
    @Override
    public List<Path> inputFiles(String argument) {
        return inputFilesOf(argument);
    }

    @Override
    public String group() {
        return "learned";
    }

    @Override
    public ConditionalOracle autoregressive(ModelArgs args, Integer n, Context context) {
        return OnnxOracle.open(path("onnx", args.argument()), options(args.argument(), n, context));
    }

    /** The model file of {@code KIND:PATH[,key=value...]}. */
    static Path path(String kind, String argument) {
        String first = argument.split(",", -1)[0];
        if (first.isBlank()) throw new IllegalArgumentException("model " + kind + ":" + argument + ": expected " + kind + ":PATH[,key=value...]");
        return Path.of(first.strip());
    }

    /** The options of {@code onnx:PATH,key=value...} with the run's n, threads and backend. */
    static OnnxOracle.Options options(String argument, Integer n, Context context) {
        String spec = "onnx:" + argument; // errors read "model SPEC: ..."
        String[] parts = argument.split(",", -1);
        OnnxOracle.Options o = OnnxOracle.Options.defaults().withThreads(context.threads()).withN(n).withBackend(context.backend());
        for (Map.Entry<String, String> e : keys(spec, "onnx", parts, KEYS).entrySet()) {
            String key = e.getKey(), value = e.getValue();
            switch (key) {
                case "mask" -> o = o.withMask(number(spec, key, value));
                case "n" -> {
                    int v = (int) number(spec, key, value);
                    if (n != null && n != v) throw new IllegalArgumentException("model " + spec + ": n=" + v + " disagrees with the length n = " + n);
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

    @Override
    public ModelMemory memory(ModelArgs args, Integer n, Object model) {
        return memoryOf(model);
    }

    @Override
    public Map<String, Object> report(ModelArgs args, Object model) {
        return reportOf(model);
    }

    private static final List<String> KEYS = List.of("mask", "n", "q", "input", "output", "max-rows", "chunk", "evaluator");

    /**
     * The spec's key=value parts after the path, in order, through the grammar's one parser (a key
     * given twice is refused naming it); a key this kind does not take is refused listing those it does.
     */
    static Map<String, String> keys(String spec, String kind, String[] parts, List<String> known) {
        String rest = String.join(",", java.util.Arrays.copyOfRange(parts, 1, parts.length));
        Map<String, String> keys = ModelSpec.settings(spec, rest, List.of());
        for (String key : keys.keySet()) {
            if (!known.contains(key)) {
                throw new IllegalArgumentException("model " + spec + ": " + kind + " has no parameter '" + key + "' (it takes: " + String.join(", ", known) + ")");
            }
        }
        return keys;
    }

    /** chunk=C: rows of every run call, 0 for variable batches (not batch-invariant). */
    static int chunk(String spec, String value) {
        return (int) ModelSpec.integer(spec, "chunk", value, 0, Integer.MAX_VALUE);
    }

    /** mask=ID: any long; the sizes n, q, d, max-rows: positive ints. */
    static long number(String spec, String key, String value) {
        return key.equals("mask") ? ModelSpec.integer(spec, key, value, Long.MIN_VALUE, Long.MAX_VALUE)
                : ModelSpec.integer(spec, key, value, 1, Integer.MAX_VALUE);
    }

    /** The model file of {@code KIND:PATH[,key=value...]} when it exists, with its external-data files and vocabulary sidecar, and any files its keys name. */
    static List<Path> inputFilesOf(String argument) {
        List<Path> files = new ArrayList<>(ModelProvider.namedFiles(argument));
        String file = argument.split(",")[0].strip();
        try {
            if (!file.isEmpty() && Files.isRegularFile(Path.of(file))) files.addAll(OnnxInputFiles.of(Path.of(file)));
        } catch (InvalidPathException e) {
            // not a file name: opening the model says so
        }
        return files;
    }

    /** Nothing is known before the network is read; then its buffers and the rows of a launch (see {@link NetworkModel#bufferBytes}). */
    static ModelMemory memoryOf(Object model) {
        if (!(model instanceof NetworkModel m)) return ModelMemory.NONE;
        return new ModelMemory(0, "", m.bufferBytes(), m.bytesPerLaunchQuery(), "network rows and buffers (" + m.evaluator() + ")",
                "evaluate rounds in smaller pieces (--capacity C)");
    }

    /** The evaluator that runs the network. */
    static Map<String, Object> reportOf(Object model) {
        return model instanceof NetworkModel m ? Map.of("evaluator", m.evaluator()) : Map.of();
    }
}
